//! The twin: a world, a delay model bound to it, and an operations policy, ready to replicate.

use ucodts_sim::{MonteCarlo, ReplicationStreams};

use crate::delay_model::DelayModel;
use crate::kpi::{self, KpiReport};
use crate::ops_control::{DefaultPolicy, OpsPolicy};
use crate::replication::{self, BoundModel, ReplicationOutcome};
use crate::world::World;
use crate::ActorsError;

/// A world ready to run: see the crate documentation for an example.
pub struct Twin<'w> {
    world: &'w World,
    model: BoundModel,
    policy: Box<dyn OpsPolicy + 'w>,
}

impl<'w> Twin<'w> {
    /// `world` with `model`'s distributions and the [`DefaultPolicy`].
    pub fn new(world: &'w World, model: &DelayModel) -> Twin<'w> {
        Twin {
            world,
            model: BoundModel::new(world, model),
            policy: Box::new(DefaultPolicy),
        }
    }

    /// The same twin deciding crew shortages with `policy`.
    pub fn with_policy(mut self, policy: impl OpsPolicy + 'w) -> Twin<'w> {
        self.policy = Box::new(policy);
        self
    }

    /// The same twin drawing a shared day effect per replication and operating day
    /// ([`BoundModel::with_day_effects`]): for a forecast's spread; off by default.
    pub fn with_day_effects(mut self, on: bool) -> Twin<'w> {
        self.model = self.model.with_day_effects(on);
        self
    }

    /// The world.
    pub fn world(&self) -> &'w World {
        self.world
    }

    /// The delay model as bound to the world.
    pub fn model(&self) -> &BoundModel {
        &self.model
    }

    /// Runs one replication on `streams`: a pure function of the world, the model, the policy and the
    /// streams.
    pub fn replicate(
        &self,
        streams: ReplicationStreams,
    ) -> Result<ReplicationOutcome, ActorsError> {
        replication::run(self.world, &self.model, self.policy.as_ref(), streams)
    }

    /// Runs `study` and summarises the KPIs; see [`kpi::monte_carlo`].
    pub fn monte_carlo(
        &self,
        study: &MonteCarlo,
        progress: &(dyn Fn() + Sync),
    ) -> Result<KpiReport, ActorsError> {
        kpi::monte_carlo(self, study, progress)
    }
}
