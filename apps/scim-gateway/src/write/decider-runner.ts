import { Inject, Injectable } from '@nestjs/common';
import type { DomainEvent } from '@axis/domain';
import { EVENT_STORE, type EventStore } from '@axis/event-store';
import {
  type AppendedDecision,
  decideAndAppend,
  type DecideOptions,
  type LoadedStream,
  loadStream,
  type PureDecider,
  StaleRevisionError,
} from '@axis/platform';
import { scimErrors } from '@axis/scim';
import { ReadYourWrites } from '../consistency/read-your-writes';
import type { CommandContext } from './command-context';

export type Decider<Command, Event, State> = PureDecider<Command, Event, State>;
export type DecisionResult<Event, State> = AppendedDecision<Event, State>;

export interface RunOptions<Event, State> {
  /** The `If-Match` revision: a stale one is a 412 rather than a retry. */
  ifMatchRevision?: number;
  /** Runs after deciding and before appending, e.g. to reserve unique values; called again on a retry. */
  beforeAppend?: (events: Event[], next: State, previous: State) => Promise<void>;
  /** Appends committed atomically with the decision (see decideAndAppend). */
  alongside?: DecideOptions<Event, State>['alongside'];
  /** The stream's id was just generated: decide without reading it. */
  newStream?: boolean;
}

/**
 * The write side of a SCIM request: the platform's load → decide → append loop, plus what HTTP
 * adds — If-Match as the expected revision (412 when stale) and read-your-writes bookkeeping.
 */
@Injectable()
export class DeciderRunner {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    private readonly readYourWrites: ReadYourWrites,
  ) {}

  load<Event extends DomainEvent, State>(
    decider: Pick<Decider<unknown, Event, State>, 'evolve' | 'initialState'>,
    streamName: string,
  ): Promise<LoadedStream<State>> {
    return loadStream(this.eventStore, decider, streamName);
  }

  async run<Command, Event extends DomainEvent, State>(
    decider: Decider<Command, Event, State>,
    streamName: string,
    command: Command,
    context: CommandContext,
    options: RunOptions<Event, State> = {},
  ): Promise<DecisionResult<Event, State>> {
    try {
      const result = await decideAndAppend(this.eventStore, decider, streamName, command, context, {
        ...(options.ifMatchRevision === undefined ? {} : { expectedRevision: options.ifMatchRevision }),
        ...(options.beforeAppend ? { beforeAppend: options.beforeAppend } : {}),
        ...(options.alongside ? { alongside: options.alongside } : {}),
        ...(options.newStream ? { newStream: true } : {}),
      });
      if (result.position) await this.readYourWrites.recordWrite(context.workspaceId, result.position);
      return result;
    } catch (error) {
      if (error instanceof StaleRevisionError) {
        throw scimErrors.preconditionFailed(`Resource version is W/"${error.actual}", not W/"${error.expected}"`);
      }
      throw error;
    }
  }
}
