/**
 * Preloaded (`node --require`) into the Azurite process the host forks: when the host's IPC
 * channel closes (the host exited, even by SIGKILL), Azurite is told to shut down, so it never
 * outlives its host as an orphan.
 */
process.on('disconnect', () => {
  process.kill(process.pid, 'SIGTERM');
  // Azurite closes its servers on SIGTERM; make sure the process ends even if something lingers.
  setTimeout(() => process.exit(0), 5000).unref();
});
