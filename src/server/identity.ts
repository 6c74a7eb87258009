export interface Identity {
  /** Who, as the audit log names them: a token's name, or an OIDC token's `sub`. */
  name: string;
  role: string;
  /** The environments this identity may act in; undefined = every environment its role allows. */
  environments?: readonly string[] | undefined;
  via: 'token' | 'oidc' | 'local';
}
