/**
 * A pure decider, after Emmett's: `decide` turns a command and the current state into events
 * (or throws a rule violation), `evolve` folds an event into the state, `initialState` is the
 * state of a stream that does not exist. Every aggregate of this lib exports one; the write side
 * (`decideAndAppend`) runs them, specs drive them with `deciderSpecification`.
 */
export interface Decider<Command, Event, State> {
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
}
