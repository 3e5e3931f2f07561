"""The gradient-check kind: backpropagation in a small numpy network, against a numerical gradient."""

from __future__ import annotations

from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Figure, Html, Table
from ...errors import LexiconError
from ...figures import LEGEND_ON_TOP, PALETTE
from ...render import esc, fmt
from ._data import DATASET_DOC, NOTE, SAMPLES, check_dataset, gradient_check, sci

BLOCKS = {"W1": "first layer's weights", "b1": "first layer's biases", "W2": "second layer's weights",
          "b2": "second layer's biases"}


class GradientCheck(Kind):
    """Backpropagation written out in numpy for a network with one hidden layer, checked against a
    numerical gradient, and a few steps of gradient descent with it.

    The network is `softmax(tanh(x W1 + b1) W2 + b2)` with `hidden` tanh units, its loss the mean
    cross-entropy on the first `batch` standardised training examples of `dataset` (a seeded,
    stratified split). Its weights start from a seeded normal with Glorot's scale. Backpropagation
    computes the gradient of the loss for every parameter by the chain rule, from the loss back to
    the first layer; the numerical gradient nudges each parameter by ±`eps` and divides the change in
    the loss by 2 `eps`. The table gives, per parameter block, its shape, the gradient's norm and the
    relative error ‖a − n‖ / (‖a‖ + ‖n‖) between the two (around 1e−8 or below when they agree to
    rounding); the figure the loss over `steps` steps of gradient descent at `rate`.
    """

    example = "dataset: iris\nhidden: 4\nbatch: 32\nsteps: 3"
    needs_model = False
    note = NOTE
    options = opt.Options(
        Kind.options,
        dataset=opt.text(DATASET_DOC, default="wine"),
        hidden=opt.integer("Hidden tanh units.", default=8, min=1, max=32),
        batch=opt.integer("How many training examples the loss averages over.", default=64, min=2, max=256),
        eps=opt.number("The nudge of the central difference.", default=1e-5, above=0, max=0.1),
        rate=opt.number("The learning rate of the gradient-descent steps.", default=0.5, above=0, max=10),
        steps=opt.integer("Steps of gradient descent after the check.", default=10, min=1, max=200),
        seed=opt.seed("The seed of the split and of the initial weights.", default=0),
        caption=opt.caption("“The loss at each step …”"),
        figure=opt.show_figure("Show the loss figure (its numbers are then folded under it)."),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        check_dataset(spec.dataset)
        if spec.dataset == "digits" and spec.hidden > 8:
            raise LexiconError("digits has 64 features: a numerical gradient over so many weights is slow",
                               fix="use hidden: 8 or fewer, or another dataset")

    def anchor_hint(self, spec):
        return f"gradient check {spec.dataset}"

    def compute(self, kv, spec):
        return gradient_check(spec.dataset, spec.hidden, spec.batch, spec.eps, spec.rate, spec.steps, spec.seed)

    def _block(self, result, name) -> dict:
        match = [b for b in result["blocks"] if b["name"] == str(name).strip()]
        if not match:
            raise LexiconError(f"'{name}' is not a parameter block", fix="name one of: W1, b1, W2, b2")
        return match[0]

    # --- values for prose -----------------------------------------------------------------------------
    @value("The relative error of one parameter block's gradient: `error(W1)`.")
    def error(self, spec, result, name):
        v = self._block(result, name)["error"]
        return Value(sci(v), v)

    @value("The largest relative error over the four blocks.")
    def max_error(self, spec, result):
        v = max(b["error"] for b in result["blocks"])
        return Value(sci(v), v)

    @value("The norm of one block's gradient: `norm(W1)`.")
    def norm(self, spec, result, name):
        v = self._block(result, name)["norm"]
        return Value(fmt(v), v)

    @value("The number of parameters in all.")
    def parameters(self, spec, result):
        n = sum(b["size"] for b in result["blocks"])
        return Value(f"{n:,}", n)

    @value("The loss after a step (0 = before any): `loss(0)`.")
    def loss(self, spec, result, k):
        t = str(k).strip()
        if not t.isdigit() or int(t) > spec.steps:
            raise LexiconError(f"there is no step '{k}'", fix=f"name 0 to {spec.steps}")
        v = result["losses"][int(t)]
        return Value(fmt(v), v)

    @value("The steps of gradient descent (`steps`).")
    def steps(self, spec, result):
        return Value(str(spec.steps), spec.steps)

    @value("The examples the loss averages over.")
    def batch(self, spec, result):
        return Value(str(result["batch"]), result["batch"])

    @value("The hidden units (`hidden`).")
    def hidden(self, spec, result):
        return Value(str(spec.hidden), spec.hidden)

    @value("The learning rate (`rate`).")
    def rate(self, spec, result):
        return Value(f"{spec.rate:g}", spec.rate)

    @value("The input features.")
    def features(self, spec, result):
        return Value(str(result["features"]), result["features"])

    # --- rendering ------------------------------------------------------------------------------------
    def render(self, spec, result, ctx):
        import plotly.graph_objects as go

        rows = [[f"{b['name']} ({BLOCKS[b['name']]})", " × ".join(map(str, b["shape"])), f"{b['size']:,}",
                 fmt(b["norm"]), sci(b["error"])] for b in result["blocks"]]
        check = Table(["Parameters", "Shape", "Count", "Gradient norm", "Relative error, backprop vs numerical"], rows,
                      numeric=(2, 3, 4))
        losses = result["losses"]
        ltable = Table(["Step", "Loss"], [[str(i), fmt(v)] for i, v in enumerate(losses)], numeric=(0, 1))

        def figure():
            fig = go.Figure(go.Scatter(x=list(range(len(losses))), y=losses, mode="lines+markers", name="loss",
                                       line=dict(color=PALETTE[0], width=2),
                                       hovertemplate="step %{x}: loss %{y:.4f}<extra></extra>"))
            fig.update_layout(**LEGEND_ON_TOP, xaxis=dict(title=dict(text="step of gradient descent", standoff=6)),
                              yaxis=dict(title=dict(text="mean cross-entropy", standoff=6)))
            return fig

        alt = (f"Line chart of the loss over {spec.steps} steps of gradient descent at rate {spec.rate:g}: "
               + ", ".join(fmt(v) for v in losses) + ".")
        code = ("import numpy as np\n"
                f"from sklearn.datasets import load_{spec.dataset}\n"
                "from sklearn.model_selection import train_test_split\n"
                "from sklearn.preprocessing import StandardScaler\n\n"
                f"data = load_{spec.dataset}()\n"
                "x_tr, _, y_tr, _ = train_test_split(data.data, data.target, test_size=0.25,\n"
                f"                                   random_state={spec.seed}, stratify=data.target)\n"
                f"x, y = StandardScaler().fit(x_tr).transform(x_tr)[:{spec.batch}], y_tr[:{spec.batch}]\n"
                f"n_in, hidden, n_out = x.shape[1], {spec.hidden}, len(data.target_names)\n"
                f"rng = np.random.default_rng({spec.seed})\n"
                "p = {'W1': rng.normal(0, np.sqrt(2 / (n_in + hidden)), (n_in, hidden)), 'b1': rng.normal(0, 0.1, hidden),\n"
                "     'W2': rng.normal(0, np.sqrt(2 / (hidden + n_out)), (hidden, n_out)), 'b2': rng.normal(0, 0.1, n_out)}\n\n"
                "def forward(p, x):\n"
                "    h = np.tanh(x @ p['W1'] + p['b1'])\n"
                "    z = h @ p['W2'] + p['b2']\n"
                "    e = np.exp(z - z.max(1, keepdims=True))\n"
                "    return h, e / e.sum(1, keepdims=True)\n\n"
                "def loss(p, x, y):\n"
                "    return -np.log(forward(p, x)[1][np.arange(len(y)), y]).mean()\n\n"
                "def backprop(p, x, y):\n"
                "    h, prob = forward(p, x)\n"
                "    d = prob.copy(); d[np.arange(len(y)), y] -= 1; d /= len(y)   # dL/dz = p - onehot(y)\n"
                "    dh = d @ p['W2'].T * (1 - h ** 2)                            # back through W2 and tanh\n"
                "    return {'W1': x.T @ dh, 'b1': dh.sum(0), 'W2': h.T @ d, 'b2': d.sum(0)}\n\n"
                f"eps = {spec.eps:g}\n"
                "grads = backprop(p, x, y)\n"
                "for k, v in p.items():\n"
                "    a, n = grads[k], np.zeros_like(v)\n"
                "    for i in np.ndindex(v.shape):                # central difference, one parameter at a time\n"
                "        old = v[i]\n"
                "        v[i] = old + eps; up = loss(p, x, y)\n"
                "        v[i] = old - eps; down = loss(p, x, y)\n"
                "        v[i] = old; n[i] = (up - down) / (2 * eps)\n"
                "    rel_error = np.linalg.norm(a - n) / (np.linalg.norm(a) + np.linalg.norm(n))\n"
                "    print(k, v.shape, np.linalg.norm(a), rel_error)\n\n"
                "losses = [float(loss(p, x, y))]\n"
                f"for _ in range({spec.steps}):\n"
                "    g = backprop(p, x, y)\n"
                f"    p = {{k: p[k] - {spec.rate:g} * g[k] for k in p}}\n"
                "    losses.append(float(loss(p, x, y)))\n"
                "print(losses)\n")
        what = SAMPLES.get(spec.dataset, "examples")
        return [
            Html(f"<p>A network with {spec.hidden} tanh hidden units on {result['batch']} standardised training "
                 f"{what} of the {esc(spec.dataset)} data ({result['features']} features, {result['classes']} classes). "
                 f"The largest relative error is {sci(max(b['error'] for b in result['blocks']))}.</p>"),
            check,
            Figure(figure, alt=alt, caption=spec.caption, table=ltable, height=300, anchor="loss",
                   default_caption=f"The loss at each step of gradient descent (rate {spec.rate:g}) with the "
                                   "backpropagated gradient."),
            Code(code, "The numpy code behind these numbers"),
        ]
