// The boundary checks (worker messages, the app API) use zod's small build, which loads a third
// of the code of the full one at each process start. It ships no messages of its own: this
// gives it the English ones of the full build ("workers: Too big: expected number to be <=64").
import { en } from 'zod/locales';
import { config } from 'zod/mini';

config(en());
