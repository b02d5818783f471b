/**
 * Role is who may call an RPC: an admin client certificate (the CLI), a node
 * certificate (an agent, of either role), or anyone who completed TLS.
 */
export type Role = 'admin' | 'node' | 'anonymous';

/**
 * RPC_ROLES is the one table of who may call what. An RPC missing from it is
 * refused (fail closed), so a new RPC must be declared here to be reachable.
 */
export const RPC_ROLES: Readonly<Record<string, readonly Role[]>> = {
  '/cluster.v1.Control/DeployStack': ['admin'],
  '/cluster.v1.Control/RemoveStack': ['admin'],
  '/cluster.v1.Control/ScaleServices': ['admin'],
  '/cluster.v1.Control/ListServices': ['admin'],
  '/cluster.v1.Control/ListTasks': ['admin'],
  '/cluster.v1.Control/ListNodes': ['admin'],
  '/cluster.v1.Control/GetJoinToken': ['admin'],
  '/cluster.v1.Control/RotateJoinToken': ['admin'],
  '/cluster.v1.Control/UpdateNode': ['admin'],
  '/cluster.v1.Control/RemoveNode': ['admin'],
  '/cluster.v1.Control/CreateCredentials': ['admin'],
  '/cluster.v1.Control/RevokeCredentials': ['admin'],
  '/cluster.v1.Control/RotateCa': ['admin'],
  '/cluster.v1.Control/GetCaStatus': ['admin'],
  '/cluster.v1.Control/PushImage': ['admin'],
  '/cluster.v1.Control/HasImage': ['admin'],
  '/cluster.v1.Control/CreateSecret': ['admin'],
  '/cluster.v1.Control/ListSecrets': ['admin'],
  '/cluster.v1.Control/RemoveSecret': ['admin'],
  '/cluster.v1.Dispatcher/FetchImage': ['node'],
  '/cluster.v1.Dispatcher/Join': ['anonymous'],
  '/cluster.v1.Dispatcher/RenewCertificate': ['node'],
  '/cluster.v1.Dispatcher/Session': ['node'],
};
