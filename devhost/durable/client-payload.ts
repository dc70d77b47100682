/**
 * The `durableClient` input binding value (protocols §2.9): what `df.getClient(context)` reads.
 * durable-functions 3.5.0 sends every operation to `rpcBaseUrl` when present; `creationUrls` and
 * `managementUrls` feed `createCheckStatusResponse`. The host serves both route sets.
 */

export interface DurableClientEndpoint {
  /** The host's origin, e.g. `http://127.0.0.1:7071`. */
  baseUrl: string;
  /** The system key required on the webhook routes; omitted or empty when none. */
  systemKey?: string;
  /** Where the host serves the management API for the client; default `<baseUrl>/durabletask/`. */
  rpcBaseUrl?: string;
}

export interface DurableClientPayload {
  taskHubName: string;
  creationUrls: { createNewInstancePostUri: string; createAndWaitOnNewInstancePostUri: string };
  managementUrls: Record<string, string>;
  baseUrl: string;
  requiredQueryStringParameters: string;
  rpcBaseUrl: string;
}

export function durableClientPayload(taskHub: string, endpoint: DurableClientEndpoint): DurableClientPayload {
  const origin = endpoint.baseUrl.replace(/\/+$/, '');
  const webhooks = `${origin}/runtime/webhooks/durabletask`;
  const code = endpoint.systemKey ? `code=${encodeURIComponent(endpoint.systemKey)}` : '';
  const q = `taskHub=${encodeURIComponent(taskHub)}&connection=Storage${code ? `&${code}` : ''}`;
  const instance = `${webhooks}/instances/INSTANCEID`;
  return {
    taskHubName: taskHub,
    creationUrls: {
      createNewInstancePostUri: `${webhooks}/orchestrators/{functionName}[/{instanceId}]${code ? `?${code}` : ''}`,
      createAndWaitOnNewInstancePostUri: `${webhooks}/orchestrators/{functionName}[/{instanceId}]?timeout={timeoutInSeconds}&pollingInterval={intervalInSeconds}${code ? `&${code}` : ''}`,
    },
    managementUrls: {
      id: 'INSTANCEID',
      statusQueryGetUri: `${instance}?${q}`,
      sendEventPostUri: `${instance}/raiseEvent/{eventName}?${q}`,
      terminatePostUri: `${instance}/terminate?reason={text}&${q}`,
      rewindPostUri: `${instance}/rewind?reason={text}&${q}`,
      purgeHistoryDeleteUri: `${instance}?${q}`,
      restartPostUri: `${instance}/restart?${q}`,
      suspendPostUri: `${instance}/suspend?reason={text}&${q}`,
      resumePostUri: `${instance}/resume?reason={text}&${q}`,
    },
    baseUrl: webhooks,
    requiredQueryStringParameters: code,
    rpcBaseUrl: endpoint.rpcBaseUrl ?? `${origin}/durabletask/`,
  };
}
