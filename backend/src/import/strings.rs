//! Repeated cell values (colleges, classes, cities, relations) stored once: a 100,000-row roster
//! names a few hundred of them.

use std::collections::HashMap;

#[derive(Debug, Default)]
pub struct Strings {
    ids: HashMap<Box<str>, u32>,
    list: Vec<Box<str>>,
}

impl Strings {
    pub fn id(&mut self, text: &str) -> u32 {
        if let Some(&id) = self.ids.get(text) {
            return id;
        }
        let id = self.list.len() as u32;
        self.list.push(text.into());
        self.ids.insert(text.into(), id);
        id
    }

    pub fn get(&self, id: u32) -> &str {
        self.list.get(id as usize).map(|s| &**s).unwrap_or("")
    }

    pub fn opt(&self, id: Option<u32>) -> Option<String> {
        id.map(|id| self.get(id).to_string())
    }
}
