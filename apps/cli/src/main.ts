#!/usr/bin/env node
import 'reflect-metadata';
import { CommanderError } from 'commander';
import { loadConfigOrExit } from '@axis/config';
import { CliConfig } from './cli.config';
import { CliError, processOutput } from './output';
import { buildProgram } from './program';
import { openStores } from './stores';

async function main(): Promise<number> {
  const config = loadConfigOrExit(CliConfig);
  const program = buildProgram({ config, openStores: () => openStores(config), output: processOutput });
  try {
    await program.parseAsync(process.argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof CliError) {
      processOutput.err(`axis: ${error.message}`);
      return 1;
    }
    processOutput.err(`axis: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

main().then((code) => process.exit(code));
