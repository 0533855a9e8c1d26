import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import { Fn, Token } from 'cdktf';
import { Construct } from 'constructs';
import type { Metric } from './metrics';

/** One line of a graph: a metric of the catalog (`modules/metrics`), with its statistic. */
export interface DashboardLine extends Metric {
  /** @default CloudWatch's label (metric name and dimensions) */
  readonly label?: string;
}

/** A graph of metrics. */
export interface MetricWidget {
  readonly type: 'metric';
  readonly title: string;
  readonly metrics: readonly DashboardLine[];
  /** The statistic the graph shows; a line with another says so. @default 'Average' */
  readonly stat?: string;
  /** Seconds per data point. @default 60 */
  readonly period?: number;
  /** Grid columns of 24. @default 12 */
  readonly width?: number;
  /** Grid rows. @default 6 */
  readonly height?: number;
}

/** A Markdown text block. */
export interface TextWidget {
  readonly type: 'text';
  readonly markdown: string;
  /** @default 24 */
  readonly width?: number;
  /** @default 2 */
  readonly height?: number;
}

export type DashboardWidget = MetricWidget | TextWidget;

/** A widget as CloudWatch's dashboard body structure has it (placed on the grid). */
export interface PlacedWidget {
  readonly type: 'metric' | 'text';
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly properties: Record<string, unknown>;
}

/** The dashboard body (CloudWatch API reference, "Dashboard Body Structure and Syntax"). */
export interface DashboardBody {
  readonly widgets: readonly PlacedWidget[];
}

export interface DashboardProps {
  readonly dashboardName: string;
  /** Region of the metrics the graphs show. */
  readonly region: string;
  /** Widgets in reading order; they fill the 24-column grid left to right, then wrap. */
  readonly widgets: readonly DashboardWidget[];
}

const GRID_COLUMNS = 24;

/**
 * A CloudWatch dashboard built from typed widgets. Terraform writes the JSON (`jsonencode`), so
 * values that arrive as references (ARN suffixes, ids from other stacks) are quoted correctly.
 */
export class Dashboard extends Construct {
  readonly dashboard: CloudwatchDashboard;
  /** The body as data, before Terraform encodes it. */
  readonly body: DashboardBody;

  constructor(scope: Construct, id: string, props: DashboardProps) {
    super(scope, id);
    this.body = { widgets: this.place(props) };
    this.dashboard = new CloudwatchDashboard(this, 'dashboard', {
      dashboardName: props.dashboardName,
      dashboardBody: Fn.jsonencode(this.body),
    });
  }

  private place(props: DashboardProps): PlacedWidget[] {
    let x = 0;
    let y = 0;
    let rowHeight = 0;
    return props.widgets.map((widget, index) => {
      const width = widget.width ?? (widget.type === 'text' ? GRID_COLUMNS : 12);
      const height = widget.height ?? (widget.type === 'text' ? 2 : 6);
      if (!Number.isInteger(width) || width < 1 || width > GRID_COLUMNS) {
        throw new Error(`${this.node.path}: widgets[${index}].width must be 1-${GRID_COLUMNS}, got ${width}`);
      }
      if (widget.type === 'metric' && widget.metrics.length === 0) {
        throw new Error(`${this.node.path}: widgets[${index}] ("${widget.title}") has no metrics`);
      }
      this.checkText(widget.type === 'text' ? widget.markdown : widget.title, index);
      if (x + width > GRID_COLUMNS) {
        x = 0;
        y += rowHeight;
        rowHeight = 0;
      }
      const placed: PlacedWidget = {
        type: widget.type,
        x,
        y,
        width,
        height,
        properties:
          widget.type === 'text'
            ? { markdown: widget.markdown }
            : this.metricProperties(widget, props.region),
      };
      x += width;
      rowHeight = Math.max(rowHeight, height);
      return placed;
    });
  }

  private metricProperties(widget: MetricWidget, region: string): Record<string, unknown> {
    const stat = widget.stat ?? 'Average';
    return {
      title: widget.title,
      region,
      view: 'timeSeries',
      stacked: false,
      stat,
      period: widget.period ?? 60,
      // [namespace, metric, dimension name, value, ..., { options }]
      metrics: widget.metrics.map((metric) => {
        const options: Record<string, string> = {};
        // The widget's stat applies to every line that names none (Dashboard Body Structure, "metrics").
        if (metric.statistic !== stat) options.stat = metric.statistic;
        if (metric.label !== undefined) {
          this.checkText(metric.label, widget.title);
          options.label = metric.label;
        }
        return [
          metric.namespace,
          metric.metricName,
          ...Object.entries(metric.dimensions).flat(),
          ...(Object.keys(options).length > 0 ? [options] : []),
        ];
      }),
    };
  }

  /** cdktf writes literal strings inside `jsonencode(...)` without escaping quotes or backslashes. */
  private checkText(text: string, where: number | string): void {
    if (!Token.isUnresolved(text) && /["\\]/.test(text)) {
      throw new Error(
        `${this.node.path}: widget ${typeof where === 'number' ? `[${where}]` : `"${where}"`} text must not contain " or \\: ${text}`,
      );
    }
  }
}

/** `metric` as a graph line, labelled `label`. */
export function line(metric: Metric, label?: string): DashboardLine {
  return label === undefined ? metric : { ...metric, label };
}
