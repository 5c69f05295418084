//! The page's three charts: expected cost per plan, the paired change in cost against doing nothing, and
//! the 90th percentile arrival delay, each a bar per plan with its 95% interval.

use super::numbers::{grouped, signed_grouped};
use super::page::plan_label;
use super::{Interval, KpiSet, PlanView, RecoveryReport};
use crate::charts::intervals::{self, Bar, BarKind, Labels};
use crate::charts::w;
use crate::format;
use crate::report::Unit;

fn plan_bar(i: usize, r: &RecoveryReport, p: &PlanView, value: &Interval) -> Bar {
    Bar {
        label: plan_label(p),
        kind: if i == r.recommended {
            BarKind::Recommended
        } else {
            BarKind::Plan
        },
        mean: value.mean,
        lower: value.lower,
        upper: value.upper,
    }
}

fn with_doing_nothing(r: &RecoveryReport, pick: fn(&KpiSet) -> Interval) -> Vec<Bar> {
    let b = pick(&r.baseline);
    let mut bars = vec![Bar {
        label: "Doing nothing".into(),
        kind: BarKind::DoingNothing,
        mean: b.mean,
        lower: b.lower,
        upper: b.upper,
    }];
    bars.extend(
        r.plans
            .iter()
            .enumerate()
            .map(|(i, p)| plan_bar(i, r, p, &pick(&p.kpis))),
    );
    bars
}

/// The names of the page's charts, in page order.
pub const CHARTS: [&str; 3] = [
    "expected-cost",
    "cost-vs-doing-nothing",
    "p90-arrival-delay",
];

pub(super) fn charts(out: &mut String, r: &RecoveryReport) {
    let cost = |x: f64| grouped(x);
    let minutes = |x: f64| format::value(x, Unit::Minutes);
    w!(
        out,
        "<section id=\"expected-cost\"><h2>Expected cost</h2>\
         <p class=\"explain\">Each bar is a plan's expected cost over the replications, the whisker its 95% \
         interval; doing nothing is the first bar.</p><figure>{}</figure></section>\n",
        intervals::svg(
            Labels {
                name: CHARTS[0],
                title: "Expected cost per plan, with 95% intervals",
                axis_title: "Expected cost (aircraft euros plus crew cost units)",
                mark_not_significant: false,
            },
            &with_doing_nothing(r, |k| k.cost),
            &cost
        )
    );
    let differences: Vec<Bar> = r
        .plans
        .iter()
        .enumerate()
        .map(|(i, p)| plan_bar(i, r, p, &p.vs_baseline.cost))
        .collect();
    w!(
        out,
        "<section id=\"cost-vs-doing-nothing\"><h2>Change in cost against doing nothing</h2>\
         <p class=\"explain\">Each plan's cost minus doing nothing's in the same replication, averaged, with \
         its 95% interval. Left of zero the plan saves money; a hatched bar whose whisker crosses zero is not \
         significant: the replications cannot tell the plan from doing nothing.</p><figure>{}</figure></section>\n",
        intervals::svg(
            Labels {
                name: CHARTS[1],
                title: "Paired difference in cost, plan minus doing nothing, with 95% intervals",
                axis_title: "Plan minus doing nothing (cost units; negative: the plan saves)",
                mark_not_significant: true,
            },
            &differences,
            &|x| signed_grouped(x)
        )
    );
    w!(
        out,
        "<section id=\"p90-arrival-delay\"><h2>90th percentile arrival delay</h2>\
         <p class=\"explain\">How late the worst tenth of flown legs arrive under each plan: the risk a \
         cautious controller watches besides the mean.</p><figure>{}</figure></section>\n",
        intervals::svg(
            Labels {
                name: CHARTS[2],
                title: "90th percentile arrival delay per plan, with 95% intervals",
                axis_title: "90th percentile arrival delay (minutes)",
                mark_not_significant: false,
            },
            &with_doing_nothing(r, |k| k.p90_arrival_delay_min),
            &minutes
        )
    );
}
