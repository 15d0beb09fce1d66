// System tests start processes and brokers; jest's per-project config cannot carry testTimeout.
jest.setTimeout(120_000);
