import { Inject, Injectable, Optional } from '@nestjs/common';
import type { Decider, DomainEvent } from '@axis/domain';
import { EVENT_STORE, type EventStore } from '@axis/event-store';
import {
  type AppendedDecision,
  decideAndAppend,
  type DecideOptions,
  type LoadedStream,
  replayingLoader,
  StaleRevisionError,
  type StateFolder,
  type StreamLoader,
  type WriteContext,
} from '@axis/write';
import { scimErrors } from '@axis/scim';
import { ReadYourWrites } from '../consistency/read-your-writes';

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
 * The write side of a request: `@axis/write`'s load → decide → append loop, plus what HTTP adds —
 * If-Match as the expected revision (412 when stale) and read-your-writes bookkeeping. How streams
 * are loaded is the runner's loader: replayed whole by default; group streams use a cached loader
 * (GroupDeciderRunner), and record their writes on their own read-your-writes tracker.
 */
@Injectable()
export class DeciderRunner {
  private readonly loader: StreamLoader;

  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    private readonly readYourWrites: ReadYourWrites,
    // Given by the subclasses that load differently (GroupDeciderRunner); Nest provides none.
    @Optional() loader?: StreamLoader,
  ) {
    this.loader = loader ?? replayingLoader(eventStore);
  }

  load<Event extends DomainEvent, State>(decider: StateFolder<Event, State>, streamName: string): Promise<LoadedStream<State>> {
    return this.loader.load(decider, streamName);
  }

  async run<Command, Event extends DomainEvent, State>(
    decider: Decider<Command, Event, State>,
    streamName: string,
    command: Command,
    context: WriteContext,
    options: RunOptions<Event, State> = {},
  ): Promise<DecisionResult<Event, State>> {
    try {
      const result = await decideAndAppend(this.eventStore, decider, streamName, command, context, {
        loader: this.loader,
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
