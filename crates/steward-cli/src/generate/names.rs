//! Built-in lists the generator draws people, schools and districts from (ASCII, no commas).

use std::sync::LazyLock;

/// The words of a list kept as one string, so that the lists stay short to read.
fn words(list: &'static str) -> Vec<&'static str> {
    list.split_whitespace().collect()
}

pub static GIVEN_FEMALE: LazyLock<Vec<&str>> = LazyLock::new(|| {
    words(
        "\
         Olivia Emma Charlotte Amelia Sophia Mia Isabella Ava Evelyn Luna Harper Camila Sofia Scarlett Elizabeth \
         Eleanor Emily Chloe Mila Violet Penelope Gianna Aria Abigail Ella Avery Hazel Nora Layla Lily Aurora Nova \
         Ellie Madison Grace Isla Willow Zoe Riley Stella Zoey Victoria Emilia Everly Hannah Lucy Naomi Maya Aaliyah \
         Valentina Ximena Mariana Daniela Lucia Guadalupe Jasmine Imani Aisha Nia Kiara Priya Ananya Mei Jia Hana \
         Yuna Linh Thu Fatima Amira Leah Sarah Rachel Jada Destiny Alyssa Kaylee Brooklyn Savannah Audrey Claire",
    )
});

pub static GIVEN_MALE: LazyLock<Vec<&str>> = LazyLock::new(|| {
    words(
        "\
         Liam Noah Oliver James Elijah William Henry Lucas Benjamin Theodore Mateo Levi Sebastian Daniel Jack Michael \
         Alexander Owen Asher Samuel Ethan Leo Jackson Mason Ezra John Hudson Luca Aiden Joseph David Jacob Logan \
         Luke Julian Gabriel Grayson Wyatt Matthew Maverick Dylan Isaac Elias Anthony Thomas Jayden Carter Santiago \
         Diego Miguel Alejandro Jose Luis Carlos Angel Jesus Marcus Jamal Malik Darius Andre Xavier Arjun Rohan Wei \
         Jun Hiroshi Minh Duc Omar Ali Yusuf Kofi Kwame Caleb Nathan Ryan Adrian Christian Aaron",
    )
});

pub static FAMILY: LazyLock<Vec<&str>> = LazyLock::new(|| {
    words(
        "\
         Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas Moore Martin Jackson Thompson \
         White Harris Clark Lewis Robinson Walker Young Allen King Wright Scott Hill Green Adams Baker Nelson Carter \
         Mitchell Roberts Turner Phillips Campbell Parker Evans Edwards Collins Stewart Morris Murphy Cook Rogers \
         Morgan Peterson Cooper Reed Bailey Bell Kelly Howard Ward Cox Richardson Wood Watson Brooks Bennett Gray \
         James Hughes Price Sanders Myers Long Ross Foster Powell Jenkins Perry Russell Sullivan Washington Coleman \
         Butler Simmons Henderson Bryant Alexander Griffin Hayes Ford Graham Wallace O'Brien McCarthy Kowalski Novak \
         Schmidt Muller Rossi Cohen Okafor Mensah Abdi",
    )
});

pub static FAMILY_HISPANIC: LazyLock<Vec<&str>> = LazyLock::new(|| {
    words(
        "\
         Garcia Rodriguez Martinez Hernandez Lopez Gonzalez Perez Sanchez Ramirez Torres Flores Rivera Gomez Diaz \
         Reyes Morales Cruz Ortiz Gutierrez Chavez Ramos Ruiz Alvarez Mendoza Castillo Jimenez Vasquez Romero Herrera \
         Medina Aguilar Vargas Castro Guzman Fernandez Salazar Soto Delgado Pena Rios Contreras",
    )
});

pub static FAMILY_ASIAN: LazyLock<Vec<&str>> = LazyLock::new(|| {
    words(
        "\
         Nguyen Tran Le Pham Kim Lee Park Choi Chen Wang Li Zhang Liu Yang Huang Wu Patel Shah Singh Kumar Gupta Khan \
         Tanaka Sato Suzuki Yamamoto Santos Reyes Cruz Bautista Chang Lin Ho Vu Hoang Das Rao Iyer",
    )
});

pub static SCHOOL_NAMES: LazyLock<Vec<&str>> = LazyLock::new(|| {
    words(
        "\
         Lincoln Washington Jefferson Roosevelt Franklin Madison Adams Jackson Kennedy Hamilton King Chavez Douglass \
         Tubman Parks Carver Edison Whitman Twain Muir Oak Maple Cedar Willow Pine Aspen Birch Cypress Sycamore \
         Magnolia Riverside Lakeview Hillcrest Meadow Sunset Sunrise Prairie Canyon Mesa Harbor",
    )
});

pub const SCHOOL_PLACES: &[&str] =
    &["", "Park", "Hills", "Valley", "Creek", "Ridge", "Grove", "View", "Heights", "Springs", "Woods", "Point"];

pub const DISTRICT_NAMES: &[&str] = &[
    "Cedar Valley",
    "Riverbend",
    "North Prairie",
    "Lakeshore",
    "Pine Ridge",
    "Silver Creek",
    "Granite Hills",
    "Westfield",
    "Eastbrook",
    "Clearwater",
    "Maple Grove",
    "Red Rock",
];

/// US states (postal abbreviation, FIPS code) a district may be in, and students born in.
pub const STATES: &[(&str, &str)] = &[
    ("CA", "06"),
    ("TX", "48"),
    ("FL", "12"),
    ("NY", "36"),
    ("IL", "17"),
    ("PA", "42"),
    ("OH", "39"),
    ("GA", "13"),
    ("NC", "37"),
    ("MI", "26"),
    ("WA", "53"),
    ("AZ", "04"),
    ("CO", "08"),
    ("OR", "41"),
];

/// Countries of birth other than the US, roughly in order of how often they appear in US schools.
pub const OTHER_COUNTRIES: &[&str] = &["MX", "GT", "HN", "SV", "CN", "IN", "PH", "VN", "DO", "CU", "UA", "AF"];

/// Lowercase ASCII letters of a name, for usernames and email addresses.
pub fn login_part(name: &str) -> String {
    name.chars().filter(char::is_ascii_alphabetic).map(|c| c.to_ascii_lowercase()).collect()
}
