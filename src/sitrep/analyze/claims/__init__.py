"""Claims: quotations, speech frames, speakers, relays, stance."""
