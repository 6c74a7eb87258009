// Tests fail on unexpected console output: library code must never print, and a stray log in a test hides
// what the test is about. Output a test means to check goes through injected streams instead.
for (const method of ['log', 'info', 'warn', 'error', 'debug']) {
  console[method] = (...args) => {
    throw new Error(`unexpected console.${method} during tests: ${args.map(String).join(' ').slice(0, 200)}`);
  };
}
