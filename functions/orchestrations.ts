/**
 * Registers every orchestrator version, old and current, so runs in flight keep the code they
 * started with after a deploy (shared/run/names.ts ORCHESTRATOR_VERSIONS).
 */
import * as df from 'durable-functions';
import { orchestrators } from '../orchestrators';

for (const [name, handler] of Object.entries(orchestrators)) df.app.orchestration(name, handler);
