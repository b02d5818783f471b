import { CliError, type Io } from '../io.js';
import { connectControl } from '../client.js';

/** TokenOptions are the flags of `cluster token worker|manager`. */
export interface TokenOptions {
  quiet: boolean;
  manager?: string;
  /** ttlMs is the token's lifetime; 0 means the manager's default (24 h). @default 0 */
  ttlMs?: number;
  /** singleUse makes a token that is refused after its first join. @default false */
  singleUse?: boolean;
  /** labels are the node labels a node joining with the token may ask for. @default none */
  labels?: Record<string, string>;
}

/** token prints a join token for a role (with -q, only the token). */
export async function token(io: Io, role: string, o: TokenOptions): Promise<void> {
  checkRole('token', role);
  const control = connectControl(io, o.manager);
  try {
    const r = await control.call('GetJoinToken', { role, ttlMs: o.ttlMs ?? 0, singleUse: o.singleUse ?? false, labels: o.labels ?? {} });
    if (o.quiet) io.out(`${r.token}\n`);
    else {
      const kind = o.singleUse ? `single-use ${role} token` : `${role} token`;
      io.out(`To add a ${role} to this cluster, run on the new host (${kind}; keep it secret):\n\n    cluster join --token ${r.token} ${r.managerAddress}\n\n`);
    }
  } finally {
    control.close();
  }
}

/** rotateToken makes every earlier join token of a role invalid. */
export async function rotateToken(io: Io, role: string, o: { manager?: string }): Promise<void> {
  checkRole('token rotate', role);
  const control = connectControl(io, o.manager);
  try {
    await control.call('RotateJoinToken', { role });
    io.out(`rotated the ${role} join tokens: every earlier ${role} token is refused; get a new one with: cluster token ${role}\n`);
  } finally {
    control.close();
  }
}

function checkRole(what: string, role: string): void {
  if (role !== 'worker' && role !== 'manager') throw new CliError(`${what}: unknown role "${role}" (worker or manager)`);
}
