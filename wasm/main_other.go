//go:build !(js && wasm)

package main

import (
	"fmt"
	"os"
)

// The lab's bridge runs only in the browser; this lets the package's
// tests run natively.
func main() {
	fmt.Fprintln(os.Stderr, "build the browser lab with GOOS=js GOARCH=wasm (make wasm)")
	os.Exit(2)
}
