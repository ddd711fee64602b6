#!/usr/bin/env node
// Package bin: runs the TypeScript CLI through tsx so `cartera` works without a build step.
import { register } from 'tsx/esm/api';
register();
await import('../cli.ts');
