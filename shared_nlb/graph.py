"""The topology of a config as a picture: clients -> NLB listeners -> target groups -> Kubernetes Services.

One pure model (`Topology`, four columns of nodes and the edges between them) feeds two renderers:
Mermaid text for Markdown and a self-contained SVG laid out here (fixed columns, monospace text), so
that no Graphviz binary or network is needed. Everything is sorted: the same config gives the same
bytes, whatever the order of its lists.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape

from shared_nlb import naming
from shared_nlb.config import Client, Config, Service


@dataclass(frozen=True)
class Node:
    """One box: an ID safe in Mermaid and XML, and its label."""

    id: str
    label: str


@dataclass(frozen=True)
class Topology:
    """Four columns of nodes (clients, listeners, target groups, Services) and the edges between them."""

    title: str
    columns: tuple[tuple[str, tuple[Node, ...]], ...]
    edges: tuple[tuple[str, str], ...]


def _client_node(client: Client) -> Node:
    kind = "security group" if client.security_group else "prefix list" if client.prefix_list else "CIDR"
    label = f"{kind} {client.source}" + (f" ({client.description})" if client.description else "")
    return Node(f"client{client.key}", label)


def _k8s_node(service: Service) -> Node:
    # '_' never occurs in DNS labels or port names, so '__' between parts keeps the ID injective.
    parts = (service.namespace, service.k8s_service, str(service.service_port))
    node_id = "k8s__" + "__".join(p.replace("-", "_") for p in parts)
    return Node(node_id, f"{service.namespace}/{service.k8s_service}:{service.service_port}")


def topology(config: Config) -> Topology:
    """The graph of `config`: services ordered by listener port, other columns sorted by label."""
    services = sorted(config.services, key=lambda s: (s.listener_port, s.protocol, s.name))
    clients: dict[str, Node] = {}
    k8s: dict[str, Node] = {}
    listeners, groups, edges = [], [], set()
    placement = config.placement  # with several NLBs, each listener says which one it is on
    for service in services:
        on = f"{placement[service.name]}: " if placement else ""
        # With `dns`, the name clients connect to: redis.internal.example.com:6379/TCP.
        where = config.dns.record_name(service.name) + ":" if config.dns else f"{service.name} "
        listener = Node(naming.listener_id(service.name), f"{on}{where}{service.listener_port}/{service.protocol}")
        group = Node(naming.target_group_id(service.name), f"{service.name} target group: ip -> {service.pod_port}/{service.target_protocol}")
        backend = _k8s_node(service)
        listeners.append(listener)
        groups.append(group)
        k8s[backend.id] = backend
        edges |= {(listener.id, group.id), (group.id, backend.id)}
        for client in config.clients_of(service):
            node = _client_node(client)
            clients[node.id] = node
            edges.add((node.id, listener.id))
    by_label = lambda nodes: tuple(sorted(nodes, key=lambda n: (n.label, n.id)))  # noqa: E731
    units = config.units()
    nlbs = ", ".join(f"{u.config.load_balancer_name} ({u.config.load_balancer.scheme})" for u in units)
    if config.load_balancers:
        listeners.sort(key=lambda n: n.label.split(":")[0])  # grouped by NLB, in listener order within one
    title = f"NLB{'s' if len(units) > 1 else ''} {nlbs}" + (" + PrivateLink endpoint service" if config.privatelink else "")
    return Topology(
        title=title,
        columns=(
            ("Clients", by_label(clients.values())),
            (f"{title} listeners", tuple(listeners)),
            ("Target groups", tuple(groups)),
            ("Kubernetes Services", tuple(k8s.values())),  # in listener order: fewer crossing arrows
        ),
        edges=tuple(sorted(edges)),
    )


# --- Mermaid ------------------------------------------------------------------------------------------
def _mermaid_label(text: str) -> str:
    # Mermaid reads '#...;' as an entity and '"' ends the label: write both as entity codes.
    return text.replace("#", "#35;").replace('"', "#quot;")


def mermaid(config: Config) -> str:
    """A `flowchart LR` with one subgraph per column; the same config gives the same text."""
    graph = topology(config)
    lines = ["flowchart LR"]
    for index, (title, nodes) in enumerate(graph.columns):
        lines.append(f'  subgraph col{index}["{_mermaid_label(title)}"]')
        lines += [f'    {node.id}["{_mermaid_label(node.label)}"]' for node in nodes]
        lines.append("  end")
    lines += [f"  {source} --> {target}" for source, target in graph.edges]
    return "\n".join(lines) + "\n"


# --- SVG ----------------------------------------------------------------------------------------------
_CHAR_W, _ROW_H, _BOX_H, _PAD, _GAP, _TOP = 7.2, 44, 30, 12, 70, 56


def svg(config: Config) -> str:
    """A standalone SVG: columns left to right, boxes centred vertically, straight arrows between them."""
    graph = topology(config)
    widths = [max([len(t) for t in [title] + [n.label for n in nodes]]) * _CHAR_W + 2 * _PAD for title, nodes in graph.columns]
    rows = max(len(nodes) for _, nodes in graph.columns)
    height = _TOP + rows * _ROW_H + _PAD
    place: dict[str, tuple[float, float, float]] = {}  # node id -> (x, y centre, width)
    body: list[str] = []
    x = _PAD
    for (title, nodes), width in zip(graph.columns, widths):
        body.append(f'<text x="{x + width / 2:.1f}" y="{_TOP - 20}" text-anchor="middle" font-weight="bold">{escape(title)}</text>')
        offset = _TOP + (rows - len(nodes)) * _ROW_H / 2
        for row, node in enumerate(nodes):
            y = offset + row * _ROW_H + _ROW_H / 2
            place[node.id] = (x, y, width)
            body.append(
                f'<g id="{node.id}"><rect x="{x:.1f}" y="{y - _BOX_H / 2:.1f}" width="{width:.1f}" height="{_BOX_H}" rx="6" fill="#f4f6fb" stroke="#34495e"/>'
                f'<text x="{x + width / 2:.1f}" y="{y + 4:.1f}" text-anchor="middle">{escape(node.label)}</text></g>'
            )
        x += width + _GAP
    for source, target in graph.edges:
        sx, sy, sw = place[source]
        tx, ty, _ = place[target]
        body.append(f'<line x1="{sx + sw:.1f}" y1="{sy:.1f}" x2="{tx - 2:.1f}" y2="{ty:.1f}" stroke="#7f8c8d" marker-end="url(#arrow)"/>')
    total_w = x - _GAP + _PAD
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{total_w:.0f}" height="{height:.0f}" viewBox="0 0 {total_w:.0f} {height:.0f}" font-family="monospace" font-size="12">\n'
        f"<title>{escape(graph.title)}</title>\n"
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto">'
        '<path d="M0,0 L10,5 L0,10 z" fill="#7f8c8d"/></marker></defs>\n'
        f'<rect width="100%" height="100%" fill="white"/>\n'
    )
    return head + "\n".join(body) + "\n</svg>\n"
