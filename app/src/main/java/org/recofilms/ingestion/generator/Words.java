package org.recofilms.ingestion.generator;

import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * Invented words for titles, free-text tags and the tag genome. Titles follow MovieLens habits that
 * trip CSV readers: a trailing article after a comma ({@code "Silent River, The (1995)"}), foreign
 * titles with accents and a translation in parentheses, and a few quoted phrases.
 */
final class Words {

    private static final String[] ADJECTIVES = {
        "Silent",
        "Broken",
        "Golden",
        "Last",
        "Hidden",
        "Wild",
        "Dark",
        "Bright",
        "Lost",
        "Secret",
        "Crimson",
        "Frozen",
        "Burning",
        "Endless",
        "Quiet",
        "Distant",
        "Little",
        "Great",
        "Savage",
        "Gentle",
        "Electric",
        "Hollow",
        "Iron",
        "Velvet",
        "Midnight",
        "Forgotten",
        "Restless",
        "Stolen",
        "Fallen",
        "Sweet",
        "Bitter",
        "Lonely",
        "Crazy",
        "Blue",
        "Red",
        "Black",
        "White",
        "Young",
        "Old",
        "Strange",
        "Perfect",
        "Invisible",
        "Final",
        "Eternal",
        "Northern",
        "Southern",
        "Dangerous",
        "Happy",
        "Sleepless",
        "Fearless",
        "Shadowed",
        "Paper",
        "Glass",
        "Stone",
        "Summer",
        "Winter",
        "Autumn",
        "Spring",
        "Lucky",
        "Tender"
    };

    private static final String[] NOUNS = {
        "River",
        "Road",
        "Heart",
        "City",
        "Night",
        "Dream",
        "Storm",
        "Kingdom",
        "Garden",
        "House",
        "Island",
        "Mountain",
        "Letter",
        "Promise",
        "Stranger",
        "Soldier",
        "Witness",
        "Empire",
        "Mirror",
        "Horizon",
        "Harbor",
        "Bridge",
        "Train",
        "Station",
        "Castle",
        "Forest",
        "Desert",
        "Ocean",
        "Planet",
        "Machine",
        "Detective",
        "Hunter",
        "Thief",
        "Queen",
        "King",
        "Prince",
        "Daughter",
        "Son",
        "Brother",
        "Sister",
        "Wedding",
        "Funeral",
        "Journey",
        "Escape",
        "Return",
        "Revenge",
        "Secret",
        "Game",
        "Song",
        "Dance",
        "Winter",
        "Summer",
        "Shadow",
        "Ghost",
        "Angel",
        "Devil",
        "Wolf",
        "Tiger",
        "Dragon",
        "Horse",
        "Bird",
        "Rain",
        "Fire",
        "Snow",
        "Moon",
        "Star",
        "Sun",
        "Clock",
        "Key",
        "Door",
        "Window",
        "Dollar",
        "Diamond",
        "Outsider",
        "Lighthouse",
        "Circus",
        "Carnival",
        "Frontier"
    };

    private static final String[] PLACES = {
        "Avalon", "Brooklyn", "Marseille", "Kyoto", "Tangier", "Oslo", "Dakota", "Havana", "Lisbon",
        "Bombay", "Cairo", "Nevada", "Vienna", "Memphis", "Santiago", "Odessa", "Galway", "Naples",
        "Montana", "Yukon", "Bangkok", "Prague", "Sonora", "Tokyo", "Alaska", "Seville", "Harlem",
        "Saigon", "Texas", "Siberia"
    };

    private static final String[] NAMES = {
        "Annie",
        "Billy",
        "Charlie",
        "Dolores",
        "Eddie",
        "Frances",
        "George",
        "Harriet",
        "Ivan",
        "Josephine",
        "Kenny",
        "Lola",
        "Marty",
        "Nora",
        "Oscar",
        "Peggy",
        "Quentin",
        "Rosa",
        "Sammy",
        "Tess",
        "Ulysses",
        "Vera",
        "Walter",
        "Xavier",
        "Yvonne",
        "Zack",
        "Maggie",
        "Felix",
        "Hugo",
        "Iris",
        "Jules",
        "Kit",
        "Leo",
        "Mabel",
        "Ned",
        "Olive",
        "Pablo",
        "Ruby",
        "Stan",
        "Theo"
    };

    /** Invented foreign titles, MovieLens style: the article moved to the end after a comma. */
    private static final String[][] FOREIGN = {
        {"Cité des ombres, La", "City of Shadows, The"},
        {"Mémoires d'été", "Summer Memories"},
        {"Niño del río, El", "River Boy, The"},
        {"Fräulein im Regen", "Miss in the Rain"},
        {"Sommarnattens ljus", "Light of the Summer Night"},
        {"Ålderdom och hav", "Old Age and Sea"},
        {"Nuit bleue, La", "Blue Night, The"},
        {"Año de cenizas, El", "Year of Ashes, The"},
        {"Città sul mare, La", "City on the Sea, The"},
        {"Über den Wolken", "Above the Clouds"},
        {"Żółty dom", "Yellow House"},
        {"Çocuk ve deniz", "The Child and the Sea"},
        {"Déjà vu à Paris", "Deja Vu in Paris"},
        {"Vida é bela, A", "Life Is Beautiful"},
        {"Søstrene", "The Sisters"}
    };

    /** Tags anybody puts on any movie; a few carry a comma or quotes on purpose. */
    static final String[] GENERAL_TAGS = {
        "atmospheric",
        "classic",
        "twist ending",
        "based on a book",
        "visually appealing",
        "thought-provoking",
        "overrated",
        "underrated",
        "great soundtrack",
        "quotable",
        "cult film",
        "predictable",
        "slow",
        "beautiful",
        "boring",
        "masterpiece",
        "must see",
        "seen more than once",
        "great dialogue",
        "stylized",
        "good acting",
        "bad acting",
        "remake",
        "sequel",
        "based on a true story",
        "watched on a plane",
        "in theater",
        "dvd collection",
        "funny, but sad",
        "long, slow",
        "the \"twist\"",
        "très bien",
        "so bad it's good",
        "ending",
        "nonlinear",
        "surreal",
        "dark",
        "violent",
        "feel-good",
        "witty",
        "cheesy",
        "epic",
        "clever",
        "hilarious",
        "moving",
        "disappointing",
        "Oscar (Best Picture)",
        "criterion",
        "BD-R",
        "imdb top 250"
    };

    /** Tags tied to one genre, in the order of {@link MovieLensGenres#ALL}. */
    static final String[][] GENRE_TAGS = {
        {"explosions", "car chase", "martial arts", "fight scenes", "action packed", "one-man army", "heist"},
        {"quest", "treasure hunt", "swashbuckler", "exotic locations", "jungle", "survival", "sword fight"},
        {"animation", "stop motion", "hand-drawn", "anime", "computer animation", "talking animals", "pixar-like"},
        {"family", "kids", "childhood", "coming of age", "fairy tale", "good for kids", "bedtime story"},
        {"funny", "slapstick", "parody", "satire", "dark comedy", "quirky", "deadpan", "screwball"},
        {"gangsters", "mafia", "organized crime", "corruption", "police", "drugs", "serial killer"},
        {"documentary", "interviews", "history", "nature", "politics", "music documentary", "biography"},
        {"emotional", "tearjerker", "character study", "melancholy", "family drama", "social commentary"},
        {"magic", "wizards", "mythology", "dragons", "fantasy world", "fairy", "enchanted"},
        {"noir", "femme fatale", "black and white", "hard-boiled", "voiceover", "1940s"},
        {"scary", "gore", "zombies", "vampires", "slasher", "haunted house", "creepy", "jump scares"},
        {"imax", "3d", "big screen", "spectacle", "stunning visuals"},
        {"musical", "singing", "dance numbers", "broadway", "great songs", "show tunes"},
        {"mystery", "whodunit", "puzzle", "detective story", "clues", "red herring"},
        {"romance", "love story", "romantic", "love triangle", "chick flick", "first love", "wedding"},
        {"sci-fi", "space", "aliens", "robots", "time travel", "dystopia", "cyberpunk", "artificial intelligence"},
        {"suspense", "tense", "psychological", "conspiracy", "paranoia", "assassin", "kidnapping"},
        {"war", "world war ii", "vietnam", "soldiers", "anti-war", "battle scenes", "military"},
        {"western", "cowboys", "gunfight", "outlaws", "frontier life", "spaghetti western"}
    };

    private static final String[] GENOME_ADJECTIVES = {
        "dark",
        "quirky",
        "slow",
        "epic",
        "gritty",
        "surreal",
        "bleak",
        "stylish",
        "tense",
        "absurd",
        "cheesy",
        "clever",
        "melancholic",
        "nostalgic",
        "violent",
        "whimsical",
        "heartwarming",
        "bittersweet",
        "intense",
        "brutal",
        "gentle",
        "poignant",
        "satirical",
        "campy",
        "minimalist",
        "lavish",
        "low-budget",
        "haunting",
        "playful",
        "cynical",
        "optimistic",
        "chaotic",
        "elegant",
        "raw",
        "dreamy",
        "grim",
        "uplifting",
        "weird",
        "realistic",
        "stylized"
    };

    private static final String[] GENOME_NOUNS = {
        "plot",
        "soundtrack",
        "ending",
        "dialogue",
        "cinematography",
        "characters",
        "romance",
        "humor",
        "violence",
        "atmosphere",
        "story",
        "setting",
        "villain",
        "hero",
        "visuals",
        "pacing",
        "score",
        "acting",
        "family",
        "friendship",
        "revenge",
        "betrayal",
        "journey",
        "mystery",
        "heist",
        "rivalry",
        "childhood",
        "small town",
        "road trip",
        "future",
        "past",
        "city",
        "island",
        "prison",
        "school",
        "hospital",
        "courtroom",
        "kingdom",
        "space station",
        "wedding"
    };

    private Words() {}

    /** Every genome tag the generator can use: distinct, lowercase, sorted. */
    static List<String> genomeVocabulary() {
        final TreeSet<String> all = new TreeSet<>();
        for (final String tag : GENERAL_TAGS) {
            if (tag.indexOf(',') < 0 && tag.indexOf('"') < 0) {
                all.add(tag.toLowerCase(Locale.ROOT));
            }
        }
        for (final String[] tags : GENRE_TAGS) {
            for (final String tag : tags) {
                all.add(tag.toLowerCase(Locale.ROOT));
            }
        }
        for (int decade = 1900; decade <= 2010; decade += 10) {
            all.add(decade + "s");
        }
        for (int century = 12; century <= 21; century++) {
            all.add(century + "th century");
        }
        for (final String adjective : GENOME_ADJECTIVES) {
            for (final String noun : GENOME_NOUNS) {
                all.add(adjective + " " + noun);
            }
        }
        return List.copyOf(all);
    }

    /** The genre a genome tag belongs to, or -1 for a tag about no genre in particular. */
    static int genreOfTag(final String tag) {
        for (int g = 0; g < GENRE_TAGS.length; g++) {
            for (final String candidate : GENRE_TAGS[g]) {
                if (candidate.equalsIgnoreCase(tag)) {
                    return g;
                }
            }
        }
        return -1;
    }

    /** A title without its year, in MovieLens style. */
    static String title(final Rng rng) {
        final double pattern = rng.nextDouble();
        if (pattern < 0.28) {
            return pick(rng, ADJECTIVES) + " " + pick(rng, NOUNS);
        }
        if (pattern < 0.42) {
            return pick(rng, ADJECTIVES) + " " + pick(rng, NOUNS) + ", The";
        }
        if (pattern < 0.51) {
            return pick(rng, NOUNS) + " of " + pick(rng, PLACES);
        }
        if (pattern < 0.58) {
            return pick(rng, NAMES) + "'s " + pick(rng, NOUNS);
        }
        if (pattern < 0.65) {
            return pick(rng, NOUNS) + (rng.chance(0.5) ? ", The" : "");
        }
        if (pattern < 0.72) {
            return pick(rng, NOUNS) + ": " + pick(rng, ADJECTIVES) + " " + pick(rng, NOUNS);
        }
        if (pattern < 0.77) {
            return pick(rng, ADJECTIVES) + " " + pick(rng, NOUNS) + " " + (2 + rng.nextInt(3));
        }
        if (pattern < 0.82) {
            return pick(rng, NOUNS) + ", " + pick(rng, NOUNS) + " and " + pick(rng, NOUNS);
        }
        if (pattern < 0.86) {
            final String[] foreign = FOREIGN[rng.nextInt(FOREIGN.length)];
            return foreign[0] + " (" + foreign[1] + ")";
        }
        if (pattern < 0.89) {
            return pick(rng, ADJECTIVES) + " " + pick(rng, NOUNS) + ", A";
        }
        if (pattern < 0.91) {
            return "\"" + pick(rng, ADJECTIVES) + " " + pick(rng, NOUNS) + "\" " + pick(rng, NOUNS);
        }
        if (pattern < 0.95) {
            return pick(rng, NAMES) + " and " + pick(rng, NAMES);
        }
        return pick(rng, ADJECTIVES) + " " + pick(rng, NOUNS) + " in " + pick(rng, PLACES);
    }

    private static String pick(final Rng rng, final String[] words) {
        return words[rng.nextInt(words.length)];
    }
}
