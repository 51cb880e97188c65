/** Raw capture, spill log and exports, profiles and the last workspace. */
import { WbError } from '../../shared/protocol';
import type { HandlerModule, HubContext } from './context';

export type DataCommand =
  | 'capture.start'
  | 'capture.stop'
  | 'export.start'
  | 'spill.configure'
  | 'profile.list'
  | 'profile.get'
  | 'profile.save'
  | 'profile.delete'
  | 'profile.import'
  | 'profile.export'
  | 'workspace.get'
  | 'workspace.save'
  | 'profile.apply';

const pending = (): never => {
  throw new WbError('INTERNAL', 'This command is not available in this build yet');
};

export function dataModule(_ctx: HubContext): HandlerModule<DataCommand> {
  return {
    handlers: {
      'capture.start': pending,
      'capture.stop': pending,
      'export.start': pending,
      'spill.configure': pending,
      'profile.list': pending,
      'profile.get': pending,
      'profile.save': pending,
      'profile.delete': pending,
      'profile.import': pending,
      'profile.export': pending,
      'workspace.get': pending,
      'workspace.save': pending,
      'profile.apply': pending,
    },
  };
}
