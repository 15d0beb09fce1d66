// Integration specs talk to real databases and brokers on a loaded 2-core CI machine: jest's 5 s
// default turns slowness into failures. (Per-project testTimeout is ignored in multi-project runs.)
jest.setTimeout(30_000);
