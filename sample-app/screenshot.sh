#!/usr/bin/env bash
# Takes docs/images/chat.png: the chat window under Xvfb, after a second person sent messages.
# Needs Xvfb and ImageMagick (apt-get install -y xvfb imagemagick) and a built repo
# (mvn -q package -DskipTests -pl server-stub,sample-app -am).
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
cleanup() { kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

Xvfb :97 -screen 0 640x640x24 >/dev/null 2>&1 &
export DISPLAY=:97
java -jar server-stub/target/tandem-server.jar --port 0 --db "$work/server.db" > "$work/server.log" 2>&1 &
for _ in $(seq 1 100); do grep -q "listening on port" "$work/server.log" && break; sleep 0.1; done
url="http://127.0.0.1:$(grep -o 'listening on port [0-9]*' "$work/server.log" | grep -o '[0-9]*$')/api/replicache"
chat=(java -jar sample-app/target/tandem-chat.jar --server "$url")

# ann says something, headless, and waits until the server has it.
{ printf 'Hi Bob! On the train, signal comes and goes.\nWriting anyway: Tandem queues it.\n'; sleep 4; printf '/quit\n'; } \
  | "${chat[@]}" --user ann --db "$work/ann.db" --headless > "$work/ann.log" 2>&1
# bob gets them, then answers while offline, so his reply shows as pending in his window.
{ sleep 4; printf '/offline\nGot them. I am offline too, this one waits.\n'; sleep 1; printf '/quit\n'; } \
  | "${chat[@]}" --user bob --db "$work/bob.db" --headless > "$work/bob.log" 2>&1

java -Dtandem.chat.topLeft=true -jar sample-app/target/tandem-chat.jar --server "$url" \
  --user bob --db "$work/bob.db" --offline > "$work/window.log" 2>&1 &
sleep 6   # a person looks at the window once it has drawn; nothing here waits on sync
import -window root -crop 460x560+0+0 docs/images/chat.png
echo "wrote docs/images/chat.png"
