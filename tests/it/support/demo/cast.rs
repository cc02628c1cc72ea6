//! The cast: departments, names, the recipients and the send waves, and who
//! plays which part of the story.

use super::rng::Rng;
use super::rows::hms;
use super::{DOMAIN, RECIPIENTS};

/// Departments and their head counts (sum: [`RECIPIENTS`]).
pub const DEPARTMENTS: &[(&str, usize)] = &[
    ("営業部", 60),
    ("海外事業部", 30),
    ("法務部", 10),
    ("経理部", 25),
    ("人事部", 15),
    ("総務部", 20),
    ("情報システム部", 15),
    ("物流部", 35),
    ("企画部", 15),
    ("品質管理部", 15),
];
/// Its inbound mail passes Proofpoint before Exchange Online.
pub const PROOFPOINT_DEPARTMENT: &str = "海外事業部";
/// Its inbound mail passes Mimecast before Exchange Online.
pub const MIMECAST_DEPARTMENT: &str = "法務部";

const FAMILY: &[&str] = &[
    "sato",
    "suzuki",
    "takahashi",
    "tanaka",
    "ito",
    "watanabe",
    "yamamoto",
    "nakamura",
    "kobayashi",
    "kato",
    "yoshida",
    "yamada",
    "sasaki",
    "yamaguchi",
    "matsumoto",
    "inoue",
    "kimura",
    "hayashi",
    "shimizu",
    "yamazaki",
    "mori",
    "abe",
    "ikeda",
    "hashimoto",
    "yamashita",
    "ishikawa",
    "nakajima",
    "maeda",
    "fujita",
    "ogawa",
    "goto",
    "okada",
    "hasegawa",
    "murakami",
    "kondo",
    "ishii",
    "saito",
    "sakamoto",
    "endo",
    "aoki",
];
const GIVEN: &[&str] = &[
    "haruto", "yuto", "sota", "yuki", "hayato", "haruki", "ryusei", "koki", "sora", "sosuke",
    "riku", "takumi", "kenta", "daiki", "shota", "hiroshi", "takashi", "kazuya", "naoki", "makoto",
    "yui", "aoi", "hina", "yuna", "sakura", "misaki", "nanami", "haruka", "ayaka", "mei", "rin",
    "saki", "miyu", "natsuki", "emi", "yoko", "keiko", "tomoko", "akiko", "naomi",
];

/// A recipient of the training mail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Person {
    pub email: String,
    pub department: &'static str,
    /// Delivery time (seconds since 2026-11-10T00:00:00+09:00).
    pub delivered: i64,
    /// Send wave, 1 to 3.
    pub wave: u8,
}

/// Send waves: start time and number of recipients.
pub const WAVES: [(i64, usize); 3] = [
    (hms(0, 9, 0, 0), 80),
    (hms(0, 9, 45, 0), 80),
    (hms(0, 10, 30, 0), 80),
];

/// The fixed cast and timeline every part of the story draws on.
pub struct Cast {
    pub people: Vec<Person>,
    /// Index of the Azure Virtual Desktop user in `people`.
    pub avd: usize,
    /// Index of the user whose browser runs no JavaScript.
    pub no_js: usize,
    pub office: Vec<usize>,
    pub phone: Vec<usize>,
    pub home: Vec<usize>,
}

/// Draws the cast from the start of the generator's stream.
pub(super) fn cast(rng: &mut Rng) -> Cast {
    let mut names: Vec<(usize, usize)> = (0..GIVEN.len())
        .flat_map(|g| (0..FAMILY.len()).map(move |f| (g, f)))
        .collect();
    rng.shuffle(&mut names);
    let departments: Vec<&'static str> = DEPARTMENTS
        .iter()
        .flat_map(|&(d, n)| std::iter::repeat_n(d, n))
        .collect();
    assert_eq!(departments.len(), RECIPIENTS);

    // Send order: a shuffled list, cut into the waves.
    let mut order: Vec<usize> = (0..RECIPIENTS).collect();
    rng.shuffle(&mut order);
    let mut delivered = vec![(0i64, 0u8); RECIPIENTS];
    let mut k = 0;
    for (w, &(start, count)) in WAVES.iter().enumerate() {
        let mut t = start + rng.int_range(4, 20);
        for _ in 0..count {
            delivered[order[k]] = (t, w as u8 + 1);
            t += rng.int_range(1, 3);
            k += 1;
        }
    }

    let people: Vec<Person> = (0..RECIPIENTS)
        .map(|i| {
            let (g, f) = names[i];
            Person {
                email: format!("{}.{}@{DOMAIN}", GIVEN[g], FAMILY[f]),
                department: departments[i],
                delivered: delivered[i].0,
                wave: delivered[i].1,
            }
        })
        .collect();

    let mut who: Vec<usize> = (0..RECIPIENTS).collect();
    rng.shuffle(&mut who);
    Cast {
        avd: who[0],
        no_js: who[1],
        office: who[2..28].to_vec(),
        phone: who[28..40].to_vec(),
        home: who[40..44].to_vec(),
        people,
    }
}
