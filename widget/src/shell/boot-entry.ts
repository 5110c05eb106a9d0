// The boot script's entry (shell-plugin.ts builds it as a classic script): boot.ts, run.
import { bootShell } from './boot.ts';

bootShell(window);
