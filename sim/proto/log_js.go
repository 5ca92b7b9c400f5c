//go:build js

package proto

// Logger in the page, where no session logs: its methods are those of
// log/slog's Logger that the sessions call, and do nothing, which keeps
// log/slog and its handlers out of the simulator's download.
type Logger struct{}

func (*Logger) Info(msg string, args ...any)  {}
func (*Logger) Warn(msg string, args ...any)  {}
func (*Logger) Error(msg string, args ...any) {}
