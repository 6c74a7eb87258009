/**
 * `stagecraft/config`: the config library, kept at this path for apps that imported it before it became its own
 * package. New apps depend on `@stagecraft/config` alone, which installs no native module and no compiler.
 */
export * from '@stagecraft/config';
