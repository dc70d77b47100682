import type { HostKeys } from '../keys';
import { SYSTEM_KEY_DURABLE } from '../keys';

/**
 * The URLs the Durable extension hands out: the durable client binding payload (`creationUrls`,
 * `managementUrls`, `baseUrl`, `requiredQueryStringParameters`, `rpcBaseUrl`) and the
 * check-status payload, all pointing at this host (protocols §2.9, §2.12).
 */
export const WEBHOOK_PATH = '/runtime/webhooks/durabletask';
export const RPC_PATH = '/durabletask/';

export interface LinkContext {
  /** e.g. http://127.0.0.1:7071 (no trailing slash). */
  origin: string;
  taskHub: string;
  keys: HostKeys;
}

function commonQuery(ctx: LinkContext): string {
  return `taskHub=${encodeURIComponent(ctx.taskHub)}&connection=Storage&code=${encodeURIComponent(ctx.keys.systemKeys[SYSTEM_KEY_DURABLE] ?? '')}`;
}

export function managementUrls(ctx: LinkContext, instanceId: string): Record<string, string> {
  const base = `${ctx.origin}${WEBHOOK_PATH}/instances/${encodeURIComponent(instanceId)}`;
  const q = commonQuery(ctx);
  return {
    id: instanceId,
    statusQueryGetUri: `${base}?${q}`,
    sendEventPostUri: `${base}/raiseEvent/{eventName}?${q}`,
    terminatePostUri: `${base}/terminate?reason={text}&${q}`,
    rewindPostUri: `${base}/rewind?reason={text}&${q}`,
    purgeHistoryDeleteUri: `${base}?${q}`,
    restartPostUri: `${base}/restart?${q}`,
    suspendPostUri: `${base}/suspend?reason={text}&${q}`,
    resumePostUri: `${base}/resume?reason={text}&${q}`,
  };
}

/** The `durableClient` input binding value that `df.getClient(context)` reads. */
export function durableClientPayload(ctx: LinkContext): Record<string, unknown> {
  const code = ctx.keys.systemKeys[SYSTEM_KEY_DURABLE] ?? '';
  const base = `${ctx.origin}${WEBHOOK_PATH}`;
  const q = commonQuery(ctx);
  // managementUrls keep the literal INSTANCEID placeholder, as the extension sends them.
  const templates = managementUrls(ctx, 'INSTANCEID');
  return {
    taskHubName: ctx.taskHub,
    creationUrls: {
      createNewInstancePostUri: `${base}/orchestrators/{functionName}[/{instanceId}]?${q}`,
      createAndWaitOnNewInstancePostUri: `${base}/orchestrators/{functionName}[/{instanceId}]?timeout={timeoutInSeconds}&pollingInterval={intervalInSeconds}&${q}`,
    },
    managementUrls: templates,
    baseUrl: base,
    requiredQueryStringParameters: `code=${encodeURIComponent(code)}`,
    rpcBaseUrl: `${ctx.origin}${RPC_PATH}`,
  };
}
