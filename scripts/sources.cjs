// Prints the addon's source list (native/sources.txt) one path per line, for
// binding.gyp's `<!@(...)` command expansion. CMakeLists.txt reads the same file.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const text = readFileSync(join(__dirname, '..', 'native', 'sources.txt'), 'utf8');
for (const line of text.split('\n')) {
  const path = line.replace(/#.*/, '').trim();
  if (path) console.log(path);
}
