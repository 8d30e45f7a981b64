"""Role models: volunteers\x27 profiles and the threads students write to them in."""
