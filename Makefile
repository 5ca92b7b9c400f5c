# The two commands: `make run` and `make test`. Everything a test needs is
# installed here (Debian packages with apt-get, npm packages from the lock
# file); nothing is installed by hand.

GO      ?= go
BIN     := bin
WASM    := site/dist/lab.wasm
APT_PKGS := chromium chromium-driver curl dovecot-imapd dovecot-lmtpd dovecot-pop3d libauthen-scram-perl libnet-ssleay-perl \
	msmtp postfix python3 swaks

.PHONY: all build run test deps apt-deps site wasm vet gotest wasm-test lessons-check bench clean

all: build

## build: the wasm simulator, the site bundle, labserver and labctl
build: site
	$(GO) build -o $(BIN)/labserver ./cmd/labserver
	$(GO) build -o $(BIN)/labctl ./cmd/labctl

## run: build everything and start labserver with the demo accounts
run: build
	./$(BIN)/labserver

## test: every test, browser tests included
test: deps build vet wasm-test gotest lessons-check

vet:
	$(GO) mod tidy -diff
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet ./sim/... ./wasm/...

# sim/ and wasm/ tested as the browser runs them: GOOS=js under Node,
# whose TextDecoder is also the browser's charset decoder.
wasm-test:
	GOOS=js GOARCH=wasm $(GO) test -count=1 -exec "$$($(GO) env GOROOT)/lib/wasm/go_js_wasm_exec" ./sim/... ./wasm/...

gotest:
	$(GO) test -race -count=1 -timeout 20m ./...

lessons-check:
	./$(BIN)/labctl check lessons

bench:
	$(GO) test -run '^$$' -bench . -benchmem -timeout 60m ./...

## deps: Debian packages the tests drive (a real browser, reference IMAP, SMTP and LMTP servers, real clients, Perl's SCRAM client)
deps: apt-deps

apt-deps:
	@missing=""; for p in $(APT_PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
		echo "postfix postfix/main_mailer_type select No configuration" | $$SUDO debconf-set-selections && \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi

site: wasm
	$(GO) run ./cmd/labctl export -o site/dist/lessons.json lessons
	cd site && npm ci --no-audit --no-fund --loglevel=error && npm run build

# The simulator is built without inlining outside the runtime's packages:
# inlined copies and their inlining tables cost the page's download 215 KB
# of its brotli bytes (1,915,318 -> 1,700,591 before the mail path was
# linked in), for sessions measured about a fifth slower in the wasm POP3
# benchmark, far below a keypress's round trip through the page.
WASM_GCFLAGS := -gcflags=all=-l -gcflags=runtime= -gcflags=internal/...= -gcflags=sync/...=
# The catalogues' texts are not built into the simulator (tag fetchtexts,
# see sim/catalog/fetched.go): the page fetches the language it shows from
# texts/<lang>.json, which site/build.mjs writes. The home page's first
# module, boot.wasm, is the same program built with the tag boot: POP3
# alone, without encoding/json, IndexedDB writes, lessons or the mail
# path (wasm/boot.go).
WASM_TAGS := -tags=fetchtexts

wasm:
	mkdir -p site/dist
	GOOS=js GOARCH=wasm $(GO) build -trimpath $(WASM_TAGS) $(WASM_GCFLAGS) -ldflags='-s -w' -o $(WASM) ./wasm
	GOOS=js GOARCH=wasm $(GO) build -trimpath $(WASM_TAGS),boot $(WASM_GCFLAGS) -ldflags='-s -w' -o site/dist/boot.wasm ./wasm
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags='-s -w' -o site/dist/lessonyaml.wasm ./wasm/lessonyaml
	cp "$$($(GO) env GOROOT)/lib/wasm/wasm_exec.js" site/dist/wasm_exec.js

clean:
	rm -rf $(BIN) site/dist/*.wasm site/node_modules
