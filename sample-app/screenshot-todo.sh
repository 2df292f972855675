#!/usr/bin/env bash
# Takes docs/images/todo.png: bob's todo window under Xvfb, with two lists and a few todos.
# Needs Xvfb and ImageMagick (apt-get install -y xvfb imagemagick) and a built repo
# (mvn -q package -DskipTests -pl server-stub,sample-app -am).
# With a server that loads apps (--app), bob's todos sync and a last one waits while he is
# offline; with an older server, bob works offline throughout and every change waits to sync.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
cleanup() { kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

Xvfb :98 -screen 0 800x600x24 >/dev/null 2>&1 &
export DISPLAY=:98
definition=$(ls sample-app/target/tandem-sample-app-*.jar | grep -v -e sources -e javadoc | head -1)
if unzip -p server-stub/target/tandem-server.jar dev/tandem/server/Main.class | grep -aq -- '--app'; then
  java -cp "$definition:server-stub/target/tandem-server.jar" dev.tandem.server.Main \
    --app dev.tandem.sample.todo.TodoApp --port 0 --db "$work/server.db" > "$work/server.log" 2>&1 &
  for _ in $(seq 1 100); do grep -q "listening on port" "$work/server.log" && break; sleep 0.1; done
  url="http://127.0.0.1:$(grep -o 'listening on port [0-9]*' "$work/server.log" | grep -o '[0-9]*$')/api/replicache"
  mode=(); late=(offline)
else
  url="http://127.0.0.1:9/api/replicache"   # nothing listens; bob stays offline
  mode=(--offline); late=()
fi
todo=(java -jar sample-app/target/tandem-todo.jar --server "$url" --user bob --db "$work/bob.db")

# bob fills two lists, headless; each command waits a moment for the live lists to catch up.
{ for line in "new Weekend" "add Call grandma" "add Fix the bike light" \
              "new Groceries" "add Oat milk" "add Eggs" "add Bread from the bakery" \
              "add Coffee beans" "add Basil" "done 2" "done 5" "${late[@]}" "add Lemons"; do
    printf '%s\n' "$line"; sleep 0.7
  done; sleep 3; printf 'quit\n'; } | "${todo[@]}" "${mode[@]}" --headless > "$work/bob.log" 2>&1

java -Dtandem.todo.topLeft=true -jar sample-app/target/tandem-todo.jar --server "$url" \
  --user bob --db "$work/bob.db" --offline > "$work/window.log" 2>&1 &
sleep 6   # a person looks at the window once it has drawn; nothing here waits on sync
import -window root -crop 700x460+0+0 docs/images/todo.png
echo "wrote docs/images/todo.png"
