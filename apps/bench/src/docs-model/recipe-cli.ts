#!/usr/bin/env node
import { processIo, runCli } from '@rtk/cli-kit';
import { recipeCommand } from './recipe.js';

process.exitCode = await runCli(recipeCommand(), process.argv.slice(2), processIo());
