// The state diagram is drawn from a protocol's fsm.Machine declaration as
// the simulator exports it (machines()), never from a per-protocol
// drawing: the states stack top to bottom in declaration order under the
// connection's start point; an edge between neighbours is a straight
// arrow, an edge that skips states or goes back up runs in a lane beside
// the boxes (down on the left, up on the right), and one that stays in its
// state loops below the box's corner. Edges of one transition into one
// state (SMTP's QUIT from every state) share a lane, one label and one
// arrowhead; each is still an edge of its own, lit alone when taken. Two
// edges whose runs only meet at a box share a lane too. Numbered
// transitions (IMAP's (1)–(7), RFC 3501 section 3, our 5r, LMTP's 3L) are
// labelled with their number, others with their description, in the
// page's language (labels[lang]); states carry their titles (titles[lang]).

const SVG = 'http://www.w3.org/2000/svg';
const BOX_W = 176;
const BOX_H = 34;
const GAP = 58; // vertical space between two states
const GAP_TALL = 46; // the same in a machine of many states
const TALL = 5; // states in a machine that is tall
const LANE = 28; // least distance between side lanes
const TOP = 18;
const LABEL_CHARS = 24;
const ARROW = 9; // arrowhead length in user units, whatever the stroke width
const SLOT = 12; // most distance between edges meeting one side of a box
const LOOP_W = 44; // a loop's extent below its box: its label sits inside
const LOOP_H = 20;
const LOOP_ROOM = 20; // room right of a box for a loop

function el(name, attrs = {}, parent) {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (parent) parent.appendChild(e);
  return e;
}

// pulse starts an element's pulse over: its animation takes the other of
// two names (style.css), which restarts it without a layout of the page
// (a forced one at every transition had held each answer up).
function pulse(e) {
  e.dataset.pulse = e.dataset.pulse === 'b' ? 'a' : 'b';
}

const numbered = (id) => /^\d+[a-zA-Z]?$/.test(id);

// labelIn is a transition's label in lang, or in English; titleIn a
// state's title.
const labelIn = (e, lang) => (e.labels && e.labels[lang]) || e.label;
const titleIn = (s, lang) => (s.titles && s.titles[lang]) || s.title;

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

// textWidth is about as wide as text is in the labels' 11px sans-serif,
// erring wide (DejaVu Sans is among the widest such fonts).
function textWidth(text) {
  let w = 0;
  for (const c of text) w += /[0-9A-Z]/.test(c) ? 7.2 : /[()\s.,:]/.test(c) ? 4.4 : 6.2;
  return w;
}

// labelWidth is the widest line of an edge's label in any language.
function labelWidth(e) {
  if (numbered(e.id)) return textWidth(`(${e.id})`);
  const texts = [e.label, ...Object.values(e.labels || {})].filter(Boolean);
  return Math.max(0, ...texts.flatMap((t) => wrap(t, LABEL_CHARS)).map(textWidth));
}

// layout places states and routes edges; it is pure so it can be tested
// without a browser. Each edge gets its path (d) and, where it carries
// its lane's label, the label's anchor (lx, ly).
export function layout(machine) {
  const rank = new Map([['', 0]]);
  machine.states.forEach((s, i) => rank.set(s.name, i + 1));
  const edges = machine.transitions.map((t) => ({ ...t, span: rank.get(t.to) - rank.get(t.from) }));

  // Edges in side lanes, grouped: one transition into one state on one
  // side is one bundle, with one lane, label and arrowhead.
  const bundles = [];
  const byKey = new Map();
  for (const e of edges) {
    if (e.span === 1) continue;
    if (e.span === 0) {
      e.loop = true;
      continue;
    }
    e.side = e.from === '' || e.span < 0 ? 'right' : 'left';
    const key = `${e.side} ${e.id} ${e.to}`;
    let b = byKey.get(key);
    if (!b) {
      b = { side: e.side, id: e.id, to: e.to, members: [], lo: rank.get(e.to), hi: rank.get(e.to), width: labelWidth(e) };
      byKey.set(key, b);
      bundles.push(b);
    }
    b.members.push(e);
    b.lo = Math.min(b.lo, rank.get(e.from));
    b.hi = Math.max(b.hi, rank.get(e.from));
    e.bundle = b;
  }
  // Short runs go nearest the boxes. A lane takes runs that at most meet
  // at a box: there one arrives from above and the other from below, and
  // their ends are kept apart (see slots).
  const lanes = { left: [], right: [] };
  for (const b of [...bundles].sort((a, c) => a.hi - a.lo - (c.hi - c.lo) || a.lo - c.lo)) {
    const side = lanes[b.side];
    let k = side.findIndex((lane) => lane.every((o) => b.hi <= o.lo || b.lo >= o.hi));
    if (k < 0) {
      k = side.length;
      side.push([]);
    }
    side[k].push(b);
    b.lane = k;
  }
  // A lane's label stands right of it, in the room before the next lane
  // out (right) or in (left).
  const room = (lane) => Math.max(0, ...lane.map((b) => b.width));
  const laneX = { left: [], right: [] };
  lanes.left.forEach((lane, k) => {
    const inner = k === 0 ? 0 : laneX.left[k - 1];
    laneX.left.push(inner + (k === 0 ? LANE : Math.max(LANE, room(lane) + 8)));
  });
  lanes.right.forEach((lane, k) => {
    laneX.right.push(k === 0 ? LANE : laneX.right[k - 1] + Math.max(LANE, room(lanes.right[k - 1]) + 8));
  });
  const leftLanes = laneX.left.length ? laneX.left[laneX.left.length - 1] : 0;
  const rightLanes = laneX.right.length ? laneX.right[laneX.right.length - 1] + room(lanes.right[lanes.right.length - 1]) + 6 : 0;

  const textRoom = edges.some((e) => e.span === 1 && !numbered(e.id)) ? LABEL_CHARS * 6.2 + 14 : 0;
  const loopRoom = edges.some((e) => e.loop) ? LOOP_ROOM : 0;
  // Margins: 12 beside the boxes, 4 beside a lane (its label is inside).
  const left = Math.max(12, leftLanes + 4);
  const right = Math.max(12 + textRoom - BOX_W / 2, 12 + loopRoom, rightLanes + 4);
  const width = left + BOX_W + right;
  const cx = left + BOX_W / 2;
  const gap = machine.states.length > TALL ? GAP_TALL : GAP;
  const y = (r) => (r === 0 ? TOP : TOP + 40 + (r - 1) * (BOX_H + gap));
  const lastLoops = edges.some((e) => e.loop && rank.get(e.from) === machine.states.length);
  const height = y(machine.states.length) + BOX_H + (lastLoops ? LOOP_H + 8 : 12);
  const L = { rank, edges, width, height, cx, y };

  // Where edges meet a box's side: those whose lane goes on up first,
  // inner lanes on top; then those whose lane goes on both ways; then
  // those whose lane goes down, outer lanes on top. So an edge's way from
  // its box to its lane crosses no lane that ends at that box.
  const ends = new Map(); // "state side" -> [{b, e}]
  const endAt = (state, b, e) => {
    if (state === '') return;
    const key = `${state} ${b.side}`;
    if (!ends.has(key)) ends.set(key, []);
    ends.get(key).push({ b, e, r: rank.get(state) });
  };
  for (const b of bundles) {
    endAt(b.to, b, null);
    for (const e of b.members) endAt(e.from, b, e);
  }
  const slotY = new Map(); // bundle or edge -> y at its box
  const loops = new Set(edges.filter((e) => e.loop).map((e) => e.from));
  for (const [key, list] of ends) {
    const [state, side] = key.split(' ');
    const group = ({ b, r }) => (r === b.hi ? 0 : r === b.lo ? 2 : 1);
    list.sort((p, q) => group(p) - group(q) || (group(p) === 2 ? q.b.lane - p.b.lane : p.b.lane - q.b.lane));
    const top = y(rank.get(state)) + 5;
    const bottom = y(rank.get(state)) + BOX_H - (side === 'right' && loops.has(state) ? 14 : 5);
    const step = list.length > 1 ? Math.min(SLOT, (bottom - top) / (list.length - 1)) : 0;
    const first = (top + bottom) / 2 - (step * (list.length - 1)) / 2;
    list.forEach((end, i) => slotY.set(end.e || end.b, first + i * step));
  }

  // A label in a lane goes into the gap between two states nearest the
  // middle of its run (the lower one on a tie): no edge crosses a gap
  // sideways.
  const gapY = (r) => (r === 0 ? (y(0) + y(1)) / 2 : (y(r) + BOX_H + y(r + 1)) / 2);
  for (const b of bundles) {
    const dir = b.side === 'left' ? -1 : 1;
    const x = cx + dir * (BOX_W / 2 + laneX[b.side][b.lane]);
    const ty = slotY.get(b);
    const tx = cx + dir * (BOX_W / 2 + 2);
    const ys = [ty];
    for (const e of b.members) {
      const sy = e.from === '' ? y(0) : slotY.get(e);
      const sx = e.from === '' ? cx + dir * 5 : cx + (dir * BOX_W) / 2;
      e.d = `M${sx},${sy} H${x} V${ty} H${tx}`;
      ys.push(sy);
    }
    const mid = (Math.min(...ys) + Math.max(...ys)) / 2;
    let best = Infinity;
    for (let r = b.lo; r < b.hi; r++) {
      if (Math.abs(gapY(r) - mid) <= Math.abs(best - mid)) best = gapY(r);
    }
    // The label goes with the bundle's first edge.
    Object.assign(b.members[0], { lx: x + 4, ly: best === Infinity ? mid : best, labelled: true });
  }
  for (const e of edges) {
    const r1 = rank.get(e.from);
    const r2 = rank.get(e.to);
    if (e.loop) {
      // Out of the box's bottom, round, and back into its right side;
      // the label inside the loop.
      const right = cx + BOX_W / 2;
      const bottom = y(r1) + BOX_H;
      e.d = `M${right + 14 - LOOP_W},${bottom} V${bottom + LOOP_H} H${right + 14} V${bottom - 8} H${right + 1}`;
      Object.assign(e, { lx: right + 14 - LOOP_W / 2, ly: bottom + LOOP_H / 2, labelled: true, anchor: 'middle' });
    } else if (e.span === 1) {
      const y1 = r1 === 0 ? y(0) + 5 : y(r1) + BOX_H;
      Object.assign(e, { d: `M${cx},${y1} V${y(r2) - 2}`, lx: cx + 6, ly: (y1 + y(r2)) / 2, labelled: true });
    }
  }
  return L;
}

export class Diagram {
  // uid makes the arrow markers' ids unique on a page with several
  // diagrams; lang picks the transitions' labels.
  constructor(machine, uid, { startLabel = 'connect', lang = 'en' } = {}) {
    this.machine = machine;
    const L = layout(machine);
    this.svg = el('svg', { viewBox: `0 0 ${L.width} ${L.height}`, width: L.width, height: L.height, role: 'img', class: 'diagram' });
    // One arrowhead per look, in user units: a thicker active edge keeps
    // an arrowhead of the same size, in the edge's colour.
    const defs = el('defs', {}, this.svg);
    this.markers = { off: `arrow-${uid}`, on: `arrow-${uid}-on` };
    for (const [state, id] of Object.entries(this.markers)) {
      const marker = el('marker', {
        id, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: ARROW, markerHeight: ARROW,
        markerUnits: 'userSpaceOnUse', orient: 'auto-start-reverse',
      }, defs);
      el('path', { d: 'M0,0 L10,5 L0,10 z', class: state === 'on' ? 'arrowhead arrowhead-on' : 'arrowhead' }, marker);
    }

    const start = el('g', { class: 'start' }, this.svg);
    el('circle', { cx: L.cx, cy: L.y(0), r: 5 }, start);
    this.startText = el('text', { x: L.cx - 10, y: L.y(0) + 4, 'text-anchor': 'end' }, start);
    this.startText.textContent = startLabel;

    this.edges = [];
    this.labels = [];
    const edgeLayer = el('g', { class: 'edges' }, this.svg);
    const bundleLabel = new Map(); // a bundle -> the label its edges share
    const inBundle = [];
    for (const e of L.edges) {
      const g = el('g', { class: 'edge', 'data-transition': e.id, 'data-from': e.from, 'data-to': e.to }, edgeLayer);
      if (e.loop) g.setAttribute('data-loop', 'true');
      const title = el('title', {}, g);
      el('path', { d: e.d, 'marker-end': `url(#${this.markers.off})` }, g);
      if (e.labelled) {
        const text = el('text', { x: e.lx, y: e.ly, class: numbered(e.id) ? 'edge-label numbered' : 'edge-label' }, g);
        if (e.anchor) text.setAttribute('text-anchor', e.anchor);
        this.labels.push({ e, title, text });
        if (e.bundle) bundleLabel.set(e.bundle, text);
      } else this.labels.push({ e, title, text: null });
      if (e.bundle) inBundle.push([g, e.bundle]);
      this.edges.push(g);
    }
    this.shared = new Map(inBundle.map(([g, b]) => [g, bundleLabel.get(b)])); // an edge -> its lane's label
    // The edge just taken is drawn again on top, so that the edges sharing
    // its lane do not hide it.
    this.hot = el('path', { class: 'edge-hot', 'aria-hidden': 'true', 'marker-end': `url(#${this.markers.on})` }, this.svg);
    this.hot.style.display = 'none';

    this.states = new Map();
    this.stateTexts = [];
    for (const s of machine.states) {
      const g = el('g', { class: 'state', 'data-state': s.name }, this.svg);
      el('rect', { x: L.cx - BOX_W / 2, y: L.y(L.rank.get(s.name)), width: BOX_W, height: BOX_H, rx: 8 }, g);
      const text = el('text', { x: L.cx, y: L.y(L.rank.get(s.name)) + BOX_H / 2 + 5, 'text-anchor': 'middle' }, g);
      this.stateTexts.push({ s, text });
      this.states.set(s.name, g);
    }
    this.setLang(lang);
    this.current = '';
  }

  // setLang writes the states' titles and the transitions' labels and
  // tooltips in lang.
  setLang(lang) {
    this.lang = lang;
    for (const { s, text } of this.stateTexts) text.textContent = titleIn(s, lang);
    for (const { e, title, text } of this.labels) {
      const label = labelIn(e, lang);
      title.textContent = numbered(e.id) ? `(${e.id}) ${label}` : label;
      if (!text) continue;
      const lines = numbered(e.id) ? [`(${e.id})`] : wrap(label, LABEL_CHARS);
      text.setAttribute('y', e.ly - ((lines.length - 1) * 12) / 2 + 4);
      text.replaceChildren();
      lines.forEach((line, i) => {
        el('tspan', { x: e.lx, dy: i === 0 ? 0 : 12 }, text).textContent = line;
      });
    }
  }

  // legend lists the numbered transitions, each once, with its label in
  // the page's language: [{id, label}].
  legend() {
    const seen = new Set();
    const out = [];
    for (const { e } of this.labels) {
      if (!numbered(e.id) || seen.has(e.id)) continue;
      seen.add(e.id);
      out.push({ id: e.id, label: labelIn(e, this.lang) });
    }
    return out.sort((a, b) => parseInt(a.id, 10) - parseInt(b.id, 10) || (a.id < b.id ? -1 : 1));
  }

  setStartLabel(text) {
    this.startText.textContent = text;
  }

  title(state) {
    const s = this.machine.states.find((st) => st.name === state);
    return s ? titleIn(s, this.lang) : state;
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
    let taken = null;
    for (const g of this.edges) {
      const hit = g.dataset.transition === id && g.dataset.from === (from || '') && g.dataset.to === to;
      if (hit) {
        g.setAttribute('data-active', 'true');
        pulse(g);
        taken = g;
      } else g.removeAttribute('data-active');
      this.arrow(g, hit);
    }
    this.light(taken);
    this.setState(to);
  }

  // reset forgets the session: no current state, no active edge.
  reset() {
    for (const g of this.edges) {
      g.removeAttribute('data-active');
      this.arrow(g, false);
    }
    this.light(null);
    this.showAllowed([]);
    this.setState('');
  }

  // light draws edge g again on top of the others, and lights the label
  // it shares with the edges of its lane (none: nothing is lit).
  light(g) {
    for (const { text } of this.labels) text?.removeAttribute('data-lit');
    if (!g) {
      this.hot.style.display = 'none';
      return;
    }
    this.shared.get(g)?.setAttribute('data-lit', 'true');
    this.hot.setAttribute('d', g.querySelector('path').getAttribute('d'));
    this.hot.style.display = '';
    pulse(this.hot);
  }

  arrow(g, on) {
    g.querySelector('path').setAttribute('marker-end', `url(#${on ? this.markers.on : this.markers.off})`);
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
