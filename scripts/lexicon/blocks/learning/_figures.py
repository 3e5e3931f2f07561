"""The learning kinds' figures and tables: the confusion matrix, metrics against the threshold, the ROC curve."""

from __future__ import annotations

from ...engine.pieces import Table
from ...figures import BASE_LAYOUT, LEGEND_ON_TOP, PALETTE, SYMBOLS
from ...render import fmt

METRIC_NAMES = {"accuracy": "Accuracy", "precision": "Precision", "recall": "Recall", "f1": "F1",
                "specificity": "Specificity"}


def shown(x) -> str:
    """A rate as every table of the family writes it (4 decimals), or why it is undefined."""
    return "undefined" if x is None else fmt(x)


def threshold_text(t) -> str:
    """A threshold of the model's scores as a table writes it, never rounded onto a value it is not: None
    (roc_curve's +inf) is "above every score"; 0.99999999999974 is "1 − 2.6e-13", not "1.0000"."""
    if t is None:
        return "above every score"
    if t < 1 and fmt(t) == fmt(1.0):
        return f"1 − {1 - t:.2g}".replace("-", "−")
    if t > 0 and fmt(t) == fmt(0.0):
        return f"{t:.2g}".replace("-", "−")
    return fmt(t)


def cells(m: dict, pos: str, neg: str) -> list[list]:
    """The matrix as the site shows it: actual positive on the first row, predicted positive in the first column."""
    return [[(m["tp"], "true positives", pos, pos), (m["fn"], "false negatives", pos, neg)],
            [(m["fp"], "false positives", neg, pos), (m["tn"], "true negatives", neg, neg)]]


def confusion_alt(m: dict, pos: str, neg: str, test: int) -> str:
    parts = [f"{n:,} {a} predicted {p} ({what})" for row in cells(m, pos, neg) for n, what, a, p in row]
    return (f"Confusion matrix of the {test:,} test samples at threshold {m['threshold']:g}, actual class in rows "
            f"and predicted class in columns: " + "; ".join(parts) + ".")


def confusion_table(m: dict, pos: str, neg: str) -> Table:
    tp, fn, fp, tn = m["tp"], m["fn"], m["fp"], m["tn"]
    return Table(["", f"Predicted {pos}", f"Predicted {neg}", "Total"],
                 [[f"Actual {pos} (positive)", f"{tp:,} (TP)", f"{fn:,} (FN)", f"{tp + fn:,}"],
                  [f"Actual {neg} (negative)", f"{fp:,} (FP)", f"{tn:,} (TN)", f"{fp + tn:,}"],
                  ["Total", f"{tp + fp:,}", f"{fn + tn:,}", f"{tp + fn + fp + tn:,}"]], numeric=(1, 2, 3))


def confusion_figure(m: dict, pos: str, neg: str):
    import plotly.graph_objects as go

    grid = cells(m, pos, neg)
    fig = go.Figure(go.Heatmap(
        z=[[c[0] for c in row] for row in grid], x=[f"predicted {pos}", f"predicted {neg}"],
        y=[f"actual {pos}", f"actual {neg}"], text=[[f"{c[0]:,}<br>{c[1]}" for c in row] for row in grid],
        texttemplate="%{text}", colorscale="Blues", zmin=0, showscale=False, xgap=3, ygap=3,
        hovertemplate="%{y}, %{x}: %{z}<extra></extra>"))
    fig.update_layout(**BASE_LAYOUT, xaxis=dict(side="top", automargin=True, fixedrange=True),
                      yaxis=dict(autorange="reversed", automargin=True, fixedrange=True))
    fig.update_layout(margin=dict(t=40, l=8, r=8, b=8))
    return fig


def sweep_figure(grid: list[float], rows: dict, marks: list[float]):
    """Precision, recall and F1 (lines) against the threshold; a gap where precision is undefined."""
    import plotly.graph_objects as go

    fig = go.Figure()
    for i, name in enumerate(("precision", "recall", "f1")):
        fig.add_trace(go.Scatter(
            x=grid, y=rows[name], mode="lines", name=METRIC_NAMES[name],
            line=dict(color=PALETTE[i], width=2, dash=("solid", "dash", "dot")[i]),
            hovertemplate=f"threshold %{{x:.2f}}: {METRIC_NAMES[name].lower()} %{{y:.4f}}<extra></extra>"))
    for t in marks:
        fig.add_vline(x=t, line=dict(color=PALETTE[7], width=1, dash="dot"))
    fig.update_layout(**LEGEND_ON_TOP, xaxis=dict(title=dict(text="decision threshold", standoff=6), range=[0, 1]),
                      yaxis=dict(title=dict(text="score on the test split", standoff=6), range=[0, 1.02]))
    return fig


def roc_figure(fpr: list[float], tpr: list[float], auc: float, marks: list[tuple]):
    """The ROC curve, the diagonal of a random guess, and the marked thresholds' points."""
    import plotly.graph_objects as go

    fig = go.Figure([
        go.Scatter(x=[0, 1], y=[0, 1], mode="lines", name="random guess (AUC 0.5)",
                   line=dict(color=PALETTE[7], width=1, dash="dash"), hoverinfo="skip"),
        go.Scatter(x=fpr, y=tpr, mode="lines", name=f"ROC curve (AUC {fmt(auc)})",
                   line=dict(color=PALETTE[0], width=2),
                   hovertemplate="false positive rate %{x:.4f}, true positive rate %{y:.4f}<extra></extra>")])
    if marks:
        fig.add_trace(go.Scatter(
            x=[x for _, x, _ in marks], y=[y for _, _, y in marks], mode="markers+text", name="marked thresholds",
            text=[f"{t:g}" for t, _, _ in marks], textposition="bottom right", cliponaxis=False,
            marker=dict(size=9, color=PALETTE[5], symbol=SYMBOLS[1]),
            hovertemplate="threshold %{text}: (%{x:.4f}, %{y:.4f})<extra></extra>"))
    fig.update_layout(**LEGEND_ON_TOP,
                      xaxis=dict(title=dict(text="false positive rate (1 − specificity)", standoff=6),
                                 range=[-0.02, 1.02], constrain="domain"),
                      yaxis=dict(title=dict(text="true positive rate (recall)", standoff=6), range=[-0.02, 1.02],
                                 scaleanchor="x"))
    return fig


def pr_figure(recall: list[float], precision: list[float], marks: list[tuple]):
    """The precision–recall curve (one point per threshold of the model's scores) and the marked thresholds."""
    import plotly.graph_objects as go

    fig = go.Figure([go.Scatter(
        x=recall, y=precision, mode="lines", name="precision–recall curve", line=dict(color=PALETTE[0], width=2),
        line_shape="hv", hovertemplate="recall %{x:.4f}, precision %{y:.4f}<extra></extra>")])
    if marks:
        fig.add_trace(go.Scatter(
            x=[x for _, x, _ in marks], y=[y for _, _, y in marks], mode="markers+text", name="marked thresholds",
            text=[f"{t:g}" for t, _, _ in marks], textposition="bottom left", cliponaxis=False,
            marker=dict(size=9, color=PALETTE[5], symbol=SYMBOLS[1]),
            hovertemplate="threshold %{text}: recall %{x:.4f}, precision %{y:.4f}<extra></extra>"))
    fig.update_layout(**LEGEND_ON_TOP,
                      xaxis=dict(title=dict(text="recall (true positive rate)", standoff=6), range=[-0.02, 1.02]),
                      yaxis=dict(title=dict(text="precision", standoff=6), range=[-0.02, 1.02]))
    return fig
