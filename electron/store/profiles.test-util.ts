/** A profile with two sessions, rules, bytes and a non-default encoding. */
import { profileSchema, type Profile, type ProfileInput } from '../../shared/protocol';

export const sampleProfile = (name = 'Lab bench'): Profile => {
  const input: ProfileInput = {
    wirebench: 'profile',
    version: 1,
    name,
    description: 'two sessions',
    sessions: [
      {
        config: {
          kind: 'tcp-server',
          name: 'Echo server',
          host: '127.0.0.1',
          port: 0,
          framing: { kind: 'delimiter', delimiter: new Uint8Array([0x0d, 0x0a]) },
        },
        rules: { echo: true, rules: [{ id: 'hi', match: { kind: 'text-equals', text: 'hi' }, reply: { template: 'hello' } }] },
        quickCommands: [{ name: 'raw', payload: { kind: 'bytes', bytes: new Uint8Array([1, 2, 255]) } }],
      },
      { config: { kind: 'udp', name: 'Listener', bindAddress: '127.0.0.1', bindPort: 0, rxEncoding: 'gbk' } },
    ],
  };
  return profileSchema.parse(input);
};
