/**
 * Every third-party action the generated GitHub workflows use, pinned by the full commit its release tag
 * pointed to: a tag can be moved to other code, a commit cannot. This table is the only place a pin is
 * written; `ci init` takes each `uses:` from it, and a test checks that nothing else appears.
 *
 * To update a pin: take the new release's tag, resolve it to its commit (`git rev-parse vX.Y.Z^{commit}` in
 * a clone of the action's repository, or the commit the release page names), and replace all three fields.
 */

export interface ActionPin {
  /** `owner/repo` or `owner/repo/path`, as written before the `@`. */
  action: string;
  /** The release tag the commit was taken from, written beside the pin as a comment. */
  version: string;
  /** The tag's commit, 40 hexadecimal digits. */
  commit: string;
  /** Where the pin was taken from: the release tag's page. */
  source: string;
}

export type PinName = 'checkout' | 'setupNode' | 'uploadSarif' | 'setupBuildx' | 'dockerLogin' | 'buildPush';

export const ACTION_PINS: Readonly<Record<PinName, ActionPin>> = {
  checkout: {
    action: 'actions/checkout',
    version: 'v7.0.1',
    commit: '3d3c42e5aac5ba805825da76410c181273ba90b1',
    source: 'https://github.com/actions/checkout/releases/tag/v7.0.1',
  },
  setupNode: {
    action: 'actions/setup-node',
    version: 'v7.0.0',
    commit: '820762786026740c76f36085b0efc47a31fe5020',
    source: 'https://github.com/actions/setup-node/releases/tag/v7.0.0',
  },
  uploadSarif: {
    action: 'github/codeql-action/upload-sarif',
    version: 'v4.36.2',
    commit: '8aad20d150bbac5944a9f9d289da16a4b0d87c1e',
    source: 'https://github.com/github/codeql-action/releases/tag/v4.36.2',
  },
  setupBuildx: {
    action: 'docker/setup-buildx-action',
    version: 'v4.3.0',
    commit: '37fe631027851001ddb9b187196cc803df7f5f0e',
    source: 'https://github.com/docker/setup-buildx-action/releases/tag/v4.3.0',
  },
  dockerLogin: {
    action: 'docker/login-action',
    version: 'v4.1.0',
    commit: '4907a6ddec9925e35a0a9e82d7399ccc52663121',
    source: 'https://github.com/docker/login-action/releases/tag/v4.1.0',
  },
  buildPush: {
    action: 'docker/build-push-action',
    version: 'v7.3.0',
    commit: '53b7df96c91f9c12dcc8a07bcb9ccacbed38856a',
    source: 'https://github.com/docker/build-push-action/releases/tag/v7.3.0',
  },
};
