// The state diagram is drawn from a protocol's fsm.Machine declaration as
// the simulator exports it (machines()), never from a per-protocol
// drawing: the states stack top to bottom in declaration order under the
// connection's start point; an edge between neighbours is a straight
// arrow, an edge that skips states or goes back up runs in a lane beside
// the boxes. Numbered transitions (IMAP's (1)–(7), RFC 3501 section 3)
// are labelled with their number, others with their description.

const SVG = 'http://www.w3.org/2000/svg';
const BOX_W = 176;
const BOX_H = 34;
const GAP = 58; // vertical space between two states
const LANE = 18; // distance between side lanes
const TOP = 18;
const LABEL_CHARS = 24;

function el(name, attrs = {}, parent) {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (parent) parent.appendChild(e);
  return e;
}

const numbered = (id) => /^\d+$/.test(id);

// wrap splits a label into lines of at most n characters at spaces.
export function wrap(text, n) {
  const lines = [];
  let cur = '';
  for (const w of text.split(/\s+/)) {
    if (cur && cur.length + 1 + w.length > n) {
      lines.push(cur);
      cur = w;
    } else cur = cur ? cur + ' ' + w : w;
  }
  if (cur) lines.push(cur);
  return lines;
}

// layout places states and routes edges; it is pure so it can be tested
// without a browser.
export function layout(machine) {
  const rank = new Map([['', 0]]);
  machine.states.forEach((s, i) => rank.set(s.name, i + 1));
  const edges = machine.transitions.map((t) => ({ ...t, span: rank.get(t.to) - rank.get(t.from) }));
  const lanes = { left: [], right: [] };
  const sorted = [...edges].sort((a, b) => Math.abs(a.span) - Math.abs(b.span));
  for (const e of sorted) {
    if (e.span === 1) continue;
    e.side = e.from === '' || e.span < 0 ? 'right' : 'left';
    const lo = Math.min(rank.get(e.from), rank.get(e.to));
    const hi = Math.max(rank.get(e.from), rank.get(e.to));
    const side = lanes[e.side];
    let k = side.findIndex((lane) => lane.every(([a, b]) => hi < a || lo > b));
    if (k < 0) {
      k = side.length;
      side.push([]);
    }
    side[k].push([lo, hi]);
    e.lane = k;
  }
  const textRoom = edges.some((e) => !numbered(e.id)) ? LABEL_CHARS * 6.2 + 14 : 0;
  const left = 12 + lanes.left.length * LANE;
  const right = 12 + Math.max(lanes.right.length * LANE, textRoom - BOX_W / 2);
  const width = left + BOX_W + right;
  const cx = left + BOX_W / 2;
  const y = (r) => (r === 0 ? TOP : TOP + 30 + (r - 1) * (BOX_H + GAP));
  const height = y(machine.states.length) + BOX_H + 12;
  return { rank, edges, width, height, cx, y };
}

// endpoints gives the attachment points of an edge on its source and
// target, spreading edges that share a box side.
function route(L, e, usage) {
  const { rank, cx, y } = L;
  const r1 = rank.get(e.from);
  const r2 = rank.get(e.to);
  if (e.span === 1) {
    const y1 = r1 === 0 ? y(0) + 5 : y(r1) + BOX_H;
    return { d: `M${cx},${y1} V${y(r2) - 2}`, lx: cx + 6, ly: (y1 + y(r2)) / 2 };
  }
  const dir = e.side === 'left' ? -1 : 1;
  const laneX = cx + dir * (BOX_W / 2 + LANE * (e.lane + 1));
  const slot = (state, isSource) => {
    const key = `${state}/${e.side}`;
    const n = usage.get(key) || 0;
    usage.set(key, n + 1);
    const off = (n % 2 ? 1 : -1) * Math.ceil(n / 2) * 7;
    return isSource && state === '' ? y(0) : y(rank.get(state)) + BOX_H / 2 + off;
  };
  const sy = slot(e.from, true);
  const ty = slot(e.to, false);
  const sx = e.from === '' ? cx + dir * 5 : cx + (dir * BOX_W) / 2;
  const tx = cx + (dir * BOX_W) / 2 + dir * 2;
  return { d: `M${sx},${sy} H${laneX} V${ty} H${tx}`, lx: laneX + 4, ly: (sy + ty) / 2 };
}

export class Diagram {
  // uid makes the arrow marker's id unique on a page with several diagrams.
  constructor(machine, uid, { startLabel = 'connect' } = {}) {
    this.machine = machine;
    const L = layout(machine);
    this.svg = el('svg', { viewBox: `0 0 ${L.width} ${L.height}`, width: L.width, height: L.height, role: 'img', class: 'diagram' });
    const defs = el('defs', {}, this.svg);
    const marker = el('marker', { id: `arrow-${uid}`, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, defs);
    el('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrowhead' }, marker);

    const start = el('g', { class: 'start' }, this.svg);
    el('circle', { cx: L.cx, cy: L.y(0), r: 5 }, start);
    this.startText = el('text', { x: L.cx - 10, y: L.y(0) + 4, 'text-anchor': 'end' }, start);
    this.startText.textContent = startLabel;

    this.edges = [];
    const usage = new Map();
    const edgeLayer = el('g', { class: 'edges' }, this.svg);
    for (const e of L.edges) {
      const r = route(L, e, usage);
      const g = el('g', { class: 'edge', 'data-transition': e.id, 'data-from': e.from, 'data-to': e.to }, edgeLayer);
      el('title', {}, g).textContent = numbered(e.id) ? `(${e.id}) ${e.label}` : e.label;
      el('path', { d: r.d, 'marker-end': `url(#arrow-${uid})` }, g);
      const lines = numbered(e.id) ? [`(${e.id})`] : wrap(e.label, LABEL_CHARS);
      const text = el('text', { x: r.lx, y: r.ly - ((lines.length - 1) * 12) / 2 + 4, class: 'edge-label' }, g);
      lines.forEach((line, i) => {
        el('tspan', { x: r.lx, dy: i === 0 ? 0 : 12 }, text).textContent = line;
      });
      this.edges.push(g);
    }

    this.states = new Map();
    for (const s of machine.states) {
      const g = el('g', { class: 'state', 'data-state': s.name }, this.svg);
      el('rect', { x: L.cx - BOX_W / 2, y: L.y(L.rank.get(s.name)), width: BOX_W, height: BOX_H, rx: 8 }, g);
      el('text', { x: L.cx, y: L.y(L.rank.get(s.name)) + BOX_H / 2 + 5, 'text-anchor': 'middle' }, g).textContent = s.title;
      this.states.set(s.name, g);
    }
    this.current = '';
  }

  setStartLabel(text) {
    this.startText.textContent = text;
  }

  title(state) {
    return this.machine.states.find((s) => s.name === state)?.title ?? state;
  }

  // setState marks state as the current one (aria-current on it alone);
  // "" (not connected yet) marks none.
  setState(state) {
    this.current = state;
    for (const [name, g] of this.states) {
      if (name === state) g.setAttribute('aria-current', 'true');
      else g.removeAttribute('aria-current');
    }
  }

  // take marks the edge of the transition just taken as the active one and
  // restarts its animation.
  take(id, from, to) {
    for (const g of this.edges) {
      const hit = g.dataset.transition === id && g.dataset.from === (from || '') && g.dataset.to === to;
      if (hit) {
        g.removeAttribute('data-active');
        void g.getBoundingClientRect(); // restart the CSS animation
        g.setAttribute('data-active', 'true');
      } else g.removeAttribute('data-active');
    }
    this.setState(to);
  }

  // reset forgets the session: no current state, no active edge.
  reset() {
    for (const g of this.edges) g.removeAttribute('data-active');
    this.showAllowed([]);
    this.setState('');
  }

  // showAllowed outlines the states where a refused command would have
  // been accepted.
  showAllowed(states) {
    for (const [name, g] of this.states) {
      if (states.includes(name)) g.setAttribute('data-allowed', 'true');
      else g.removeAttribute('data-allowed');
    }
  }
}
