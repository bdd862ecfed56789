import { scanFolder } from '../src/engine/scan/scanner.js';
const root = process.argv[2]!;
const times: number[] = [];
for (let i = 0; i < 7; i++) {
  const t = performance.now();
  const r = await scanFolder(root, { maxFileBytes: 1024 * 1024 });
  times.push(performance.now() - t);
  if (i === 0) console.log(r.files.length, 'files');
}
times.sort((a, b) => a - b);
console.log('scan ms median', times[3]!.toFixed(0), 'min', times[0]!.toFixed(0));
