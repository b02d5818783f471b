// Original file: proto/cluster/v1/dispatcher.proto

import type { SessionHello as _cluster_v1_SessionHello, SessionHello__Output as _cluster_v1_SessionHello__Output } from '../../cluster/v1/SessionHello.js';
import type { Heartbeat as _cluster_v1_Heartbeat, Heartbeat__Output as _cluster_v1_Heartbeat__Output } from '../../cluster/v1/Heartbeat.js';
import type { StatusBatch as _cluster_v1_StatusBatch, StatusBatch__Output as _cluster_v1_StatusBatch__Output } from '../../cluster/v1/StatusBatch.js';
import type { EngineStatus as _cluster_v1_EngineStatus, EngineStatus__Output as _cluster_v1_EngineStatus__Output } from '../../cluster/v1/EngineStatus.js';
import type { DataDirStatus as _cluster_v1_DataDirStatus, DataDirStatus__Output as _cluster_v1_DataDirStatus__Output } from '../../cluster/v1/DataDirStatus.js';

export interface AgentMessage {
  'hello'?: (_cluster_v1_SessionHello | null);
  'heartbeat'?: (_cluster_v1_Heartbeat | null);
  'status'?: (_cluster_v1_StatusBatch | null);
  'engine'?: (_cluster_v1_EngineStatus | null);
  'dataDir'?: (_cluster_v1_DataDirStatus | null);
  'msg'?: "hello"|"heartbeat"|"status"|"engine"|"dataDir";
}

export interface AgentMessage__Output {
  'hello'?: (_cluster_v1_SessionHello__Output | null);
  'heartbeat'?: (_cluster_v1_Heartbeat__Output | null);
  'status'?: (_cluster_v1_StatusBatch__Output | null);
  'engine'?: (_cluster_v1_EngineStatus__Output | null);
  'dataDir'?: (_cluster_v1_DataDirStatus__Output | null);
  'msg'?: "hello"|"heartbeat"|"status"|"engine"|"dataDir";
}
