/**
 * `npm run doctor`: the doctor CLI (subgraphs/doctor-cli.ts) that, without TENANTS_FILE, starts the
 * sandbox's three emulators in-process with minted credentials, checks them and stops them.
 */
import { runDoctorCli } from '../subgraphs/doctor-cli';
import { startSandboxUpstreams } from './emulators';

runDoctorCli({ startSandbox: () => startSandboxUpstreams() });
