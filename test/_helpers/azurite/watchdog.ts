/**
 * Preloaded into the test Azurite (`node --require`): when the test process's IPC channel closes
 * (the test process ended, even by SIGKILL), Azurite shuts down instead of living on as an orphan.
 */
process.on('disconnect', () => {
  process.kill(process.pid, 'SIGTERM');
  setTimeout(() => process.exit(0), 3000).unref();
});
