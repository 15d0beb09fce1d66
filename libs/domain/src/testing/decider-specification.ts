import type { Decider } from '../shared/decider';

/**
 * Given/when/then specs for pure deciders, after Emmett's DeciderSpecification:
 * `spec.given([...events]).when(command).then([...events])` or `.thenThrows(ErrorClass)`.
 */
export function deciderSpecification<Command, Event, State>(decider: Decider<Command, Event, State>) {
  return {
    given(events: Event[]) {
      return {
        when(command: Command) {
          const run = () => decider.decide(command, events.reduce(decider.evolve, decider.initialState()));
          return {
            then(expected: Event[]) {
              expect(run()).toEqual(expected);
            },
            thenNothingHappens() {
              expect(run()).toEqual([]);
            },
            thenThrows(errorType: new (...args: never[]) => Error, check?: (error: Error) => void) {
              let thrown: unknown;
              try {
                run();
              } catch (error) {
                thrown = error;
              }
              expect(thrown).toBeInstanceOf(errorType);
              check?.(thrown as Error);
            },
          };
        },
      };
    },
  };
}
