// compileWasm fetches and compiles the Go module at url: streaming, where
// the host sends the wasm MIME type; a host that does not still works.

export async function compileWasm(url) {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return (r.headers.get('content-type') || '').startsWith('application/wasm')
    ? WebAssembly.compileStreaming(r)
    : WebAssembly.compile(await r.arrayBuffer());
}
