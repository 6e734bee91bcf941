#!/usr/bin/env node
import { runRtk } from './rtk.js';

process.exitCode = await runRtk(process.argv.slice(2));
