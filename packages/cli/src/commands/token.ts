import { CliError, type Io } from '../io.js';
import { connectControl } from '../client.js';

/** token prints a join token for a role (with -q, only the token). */
export async function token(io: Io, role: string, o: { quiet: boolean; manager?: string }): Promise<void> {
  if (role !== 'worker' && role !== 'manager') throw new CliError(`token: unknown role "${role}" (worker or manager)`);
  const control = connectControl(io, o.manager);
  try {
    const r = await control.call<{ token: string; managerAddress: string }>('GetJoinToken', { role });
    if (o.quiet) io.out(`${r.token}\n`);
    else io.out(`To add a ${role} to this cluster, run on the new host:\n\n    cluster join --token ${r.token} ${r.managerAddress}\n\n`);
  } finally {
    control.close();
  }
}
