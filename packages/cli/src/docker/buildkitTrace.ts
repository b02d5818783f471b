/**
 * The progress of a BuildKit build as the engine streams it: `aux` values of
 * `moby.buildkit.trace` lines, each a base64 protobuf StatusResponse of
 * BuildKit's control API. Only what `cluster deploy` prints is read: the
 * name of each step (vertex) once it completed, whether it was cached, and
 * its error.
 */

/** BuildStep is one step of a BuildKit build, as its trace tells it. */
export interface BuildStep {
  /** digest identifies the step across trace messages. */
  digest: string;
  /** name is what the step does, as BuildKit names it (`[2/3] RUN make`). */
  name: string;
  cached: boolean;
  completed: boolean;
  error: string;
}

/** Field is one field of a protobuf message: its number, and its bytes (length-delimited) or varint. */
type Field = { n: number; bytes?: Uint8Array; varint?: number };

/** fields reads the top-level fields of a protobuf message; a malformed one ends the reading. */
function fields(buf: Uint8Array): Field[] {
  const out: Field[] = [];
  let i = 0;
  const varint = (): number | undefined => {
    let v = 0;
    let mul = 1;
    for (let k = 0; k < 10 && i < buf.length; k++) {
      const b = buf[i++]!;
      v += (b & 0x7f) * mul;
      if ((b & 0x80) === 0) return v;
      mul *= 128;
    }
    return undefined;
  };
  while (i < buf.length) {
    const tag = varint();
    if (tag === undefined) break;
    const n = Math.floor(tag / 8);
    const wire = tag & 7;
    if (wire === 0) {
      const v = varint();
      if (v === undefined) break;
      out.push({ n, varint: v });
    } else if (wire === 2) {
      const len = varint();
      if (len === undefined || i + len > buf.length) break;
      out.push({ n, bytes: buf.subarray(i, i + len) });
      i += len;
    } else if (wire === 1) i += 8;
    else if (wire === 5) i += 4;
    else break;
  }
  return out;
}

const text = (b: Uint8Array | undefined): string => (b === undefined ? '' : Buffer.from(b).toString('utf8'));

/** traceSteps reads the steps of one `moby.buildkit.trace` aux value (base64); nothing when it is not one. */
export function traceSteps(aux: unknown): BuildStep[] {
  if (typeof aux !== 'string') return [];
  const steps: BuildStep[] = [];
  for (const f of fields(Buffer.from(aux, 'base64'))) {
    // StatusResponse.vertexes = 1: digest = 1, name = 3, cached = 4, completed = 6, error = 7.
    if (f.n !== 1 || f.bytes === undefined) continue;
    const v = fields(f.bytes);
    const one = (n: number): Field | undefined => v.find((x) => x.n === n);
    steps.push({
      digest: text(one(1)?.bytes),
      name: text(one(3)?.bytes),
      cached: one(4)?.varint === 1,
      completed: one(6) !== undefined,
      error: text(one(7)?.bytes),
    });
  }
  return steps;
}
