"""Helpers shared by the tests: hand-made need windows and the Streamlit AppTest harness."""
