import { decideUser, evolveUser, initialUserState } from '@axis/domain';

/** The pure user decider of libs/domain, in the shape DeciderRunner takes. */
export const userDecider = { decide: decideUser, evolve: evolveUser, initialState: initialUserState };
