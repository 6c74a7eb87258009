/**
 * Runs `work` now and returns a function giving its result, or throwing its error where it is called: slow
 * work (git) is done before an action's transaction, which holds the ledger's write lock, and its refusal is
 * still raised — and audited — inside the action.
 */
export function deferred<T>(work: () => T): () => T {
  try {
    const value = work();
    return () => value;
  } catch (error) {
    return () => {
      throw error;
    };
  }
}
