//go:build !js

package proto

import "log/slog"

// Logger is what a session logs to: log/slog's. In the page nothing
// logs, and the simulator is built without log/slog (log_js.go).
type Logger = slog.Logger
