//! The Instances page and an instance's detail (stub; filled in next).

use crate::i18n::Text;
use crate::pages::EmptyPage;
use yew::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Overview,
    Disks,
    Snapshots,
}

#[function_component(InstancesPage)]
pub fn instances_page() -> Html {
    html! { <EmptyPage title={Text::Instances} empty={Text::EmptyInstances} /> }
}

#[derive(Properties, PartialEq)]
pub struct InstanceProps {
    pub id: String,
    pub tab: Tab,
}

#[function_component(InstancePage)]
pub fn instance_page(_props: &InstanceProps) -> Html {
    html! { <EmptyPage title={Text::Instances} empty={Text::EmptyInstances} /> }
}
